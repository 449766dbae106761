"""Customers, users and platforms, with the Megaphone platform row (id 1)

Revision ID: 0001
Revises: 
Create Date: 2026-11-21 20:50:41.321555

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def create_trigram_indexes(table, columns):
    """PostgreSQL: GIN trigram indexes so list searches (ILIKE '%term%') stay fast on big tables."""
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')  # a trusted extension: the database owner may create it
    for column in columns:
        op.execute(f'CREATE INDEX ix_{table}_{column}_trgm ON {table} USING gin ({column} gin_trgm_ops)')


def upgrade():
    op.create_table('customers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('balance', sa.Numeric(precision=12, scale=2), server_default='0', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('balance >= 0', name=op.f('ck_customers_balance_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customers')),
    sa.UniqueConstraint('code', name=op.f('uq_customers_code'))
    )
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.create_index('ix_customers_balance_id', ['balance', 'id'], unique=False)
        batch_op.create_index('ix_customers_code_id', ['code', 'id'], unique=False)
        batch_op.create_index('ix_customers_created_id', ['created_at', 'id'], unique=False)
        batch_op.create_index('ix_customers_name_id', ['name', 'id'], unique=False)

    op.create_table('platforms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_platforms')),
    sa.UniqueConstraint('slug', name=op.f('uq_platforms_slug'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), server_default='', nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('session_token', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint("role <> 'customer' OR customer_id IS NOT NULL", name=op.f('ck_users_customer_role_has_customer')),
    sa.CheckConstraint("role IN ('admin', 'operator', 'customer')", name=op.f('ck_users_role_known')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_users_customer_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index('ix_users_last_login_id', ['last_login_at', 'id'], unique=False)
        batch_op.create_index('ix_users_name_id', ['name', 'id'], unique=False)
        batch_op.create_index('ix_users_role_id', ['role', 'id'], unique=False)
    # Emails are unique whatever their case; autogenerate cannot see expression indexes.
    op.create_index('uq_users_email_lower', 'users', [sa.text('lower(email)')], unique=True)

    create_trigram_indexes('customers', ['name', 'code', 'email', 'phone'])

    platforms = sa.table('platforms', sa.column('id', sa.Integer), sa.column('slug', sa.String), sa.column('name', sa.String))
    op.bulk_insert(platforms, [{'id': 1, 'slug': 'megaphone', 'name': 'Megaphone'}])
    if op.get_bind().dialect.name == 'postgresql':
        # The row above set id 1 by hand; move the sequence past it.
        op.execute("SELECT setval(pg_get_serial_sequence('platforms', 'id'), (SELECT max(id) FROM platforms))")


def downgrade():
    op.drop_index('uq_users_email_lower', table_name='users')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index('ix_users_role_id')
        batch_op.drop_index('ix_users_name_id')
        batch_op.drop_index('ix_users_last_login_id')
        batch_op.drop_index(batch_op.f('ix_users_customer_id'))

    op.drop_table('users')
    op.drop_table('platforms')
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.drop_index('ix_customers_name_id')
        batch_op.drop_index('ix_customers_created_id')
        batch_op.drop_index('ix_customers_code_id')
        batch_op.drop_index('ix_customers_balance_id')

    op.drop_table('customers')
