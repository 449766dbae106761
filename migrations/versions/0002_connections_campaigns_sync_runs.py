"""Platform connections, campaigns and sync runs

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 20:51:53.966167

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('campaigns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('platform_campaign_id', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('advertiser', sa.String(length=255), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('budget', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('platform_created_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('platform_updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sync_state', sa.String(length=24), server_default='synced', nullable=False),
    sa.Column('deleted_on_platform_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_synced_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('draft', 'active', 'paused', 'completed')", name=op.f('ck_campaigns_status_known')),
    sa.CheckConstraint("sync_state IN ('synced', 'deleted_on_platform')", name=op.f('ck_campaigns_sync_state_known')),
    sa.CheckConstraint('budget IS NULL OR budget >= 0', name=op.f('ck_campaigns_budget_not_negative')),
    sa.CheckConstraint('end_date IS NULL OR end_date >= start_date', name=op.f('ck_campaigns_dates_ordered')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_campaigns_customer_id_customers')),
    sa.ForeignKeyConstraint(['platform_id'], ['platforms.id'], name=op.f('fk_campaigns_platform_id_platforms')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaigns')),
    sa.UniqueConstraint('customer_id', 'platform_id', 'platform_campaign_id', name='uq_campaigns_platform_key')
    )
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.create_index('ix_campaigns_advertiser_id', ['advertiser', 'id'], unique=False)
        batch_op.create_index('ix_campaigns_budget_id', ['budget', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_campaigns_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index('ix_campaigns_end_id', ['end_date', 'id'], unique=False)
        batch_op.create_index('ix_campaigns_platform_campaign_id', ['platform_campaign_id'], unique=False)
        batch_op.create_index('ix_campaigns_start_id', ['start_date', 'id'], unique=False)
        batch_op.create_index('ix_campaigns_status_id', ['status', 'id'], unique=False)
        batch_op.create_index('ix_campaigns_title_id', ['title', 'id'], unique=False)
        batch_op.create_index('ix_campaigns_updated_id', ['platform_updated_at', 'id'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        # GIN trigram indexes keep the campaigns search (ILIKE '%term%') fast; pg_trgm comes from 0001.
        for column in ('title', 'advertiser', 'platform_campaign_id'):
            op.execute(f'CREATE INDEX ix_campaigns_{column}_trgm ON campaigns USING gin ({column} gin_trgm_ops)')

    op.create_table('platform_connections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('organization', sa.String(length=120), nullable=False),
    sa.Column('api_token', sa.String(length=255), nullable=False),
    sa.Column('sync_enabled', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('sync_interval_minutes', sa.Integer(), server_default='60', nullable=False),
    sa.Column('last_sync_started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_synced_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint('sync_interval_minutes BETWEEN 5 AND 10080', name=op.f('ck_platform_connections_sync_interval_range')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_platform_connections_customer_id_customers')),
    sa.ForeignKeyConstraint(['platform_id'], ['platforms.id'], name=op.f('fk_platform_connections_platform_id_platforms')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_platform_connections')),
    sa.UniqueConstraint('customer_id', 'platform_id', name='uq_platform_connections_customer_platform')
    )
    with op.batch_alter_table('platform_connections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_platform_connections_customer_id'), ['customer_id'], unique=False)

    op.create_table('sync_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('connection_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('trig', sa.String(length=12), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('job_id', sa.String(length=64), nullable=True),
    sa.Column('pages', sa.Integer(), server_default='0', nullable=False),
    sa.Column('inserted', sa.Integer(), server_default='0', nullable=False),
    sa.Column('updated', sa.Integer(), server_default='0', nullable=False),
    sa.Column('unchanged', sa.Integer(), server_default='0', nullable=False),
    sa.Column('skipped_invalid', sa.Integer(), server_default='0', nullable=False),
    sa.Column('marked_deleted', sa.Integer(), server_default='0', nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint("status IN ('queued', 'running', 'succeeded', 'failed', 'skipped')", name=op.f('ck_sync_runs_status_known')),
    sa.CheckConstraint("trig IN ('schedule', 'manual', 'cli')", name=op.f('ck_sync_runs_trigger_known')),
    sa.ForeignKeyConstraint(['connection_id'], ['platform_connections.id'], name=op.f('fk_sync_runs_connection_id_platform_connections')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_sync_runs_customer_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_runs')),
    sa.UniqueConstraint('job_id', name=op.f('uq_sync_runs_job_id'))
    )
    with op.batch_alter_table('sync_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_runs_connection_id'), ['connection_id'], unique=False)
        batch_op.create_index('ix_sync_runs_created_id', ['created_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sync_runs_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index('ix_sync_runs_finished_id', ['finished_at', 'id'], unique=False)
        batch_op.create_index('ix_sync_runs_started_id', ['started_at', 'id'], unique=False)
        batch_op.create_index('ix_sync_runs_status_id', ['status', 'id'], unique=False)
        batch_op.create_index('uq_sync_runs_one_queued_per_connection', ['connection_id'], unique=True,
                              sqlite_where=sa.text("status = 'queued'"), postgresql_where=sa.text("status = 'queued'"))



def downgrade():
    with op.batch_alter_table('sync_runs', schema=None) as batch_op:
        batch_op.drop_index('uq_sync_runs_one_queued_per_connection')
        batch_op.drop_index('ix_sync_runs_status_id')
        batch_op.drop_index('ix_sync_runs_started_id')
        batch_op.drop_index('ix_sync_runs_finished_id')
        batch_op.drop_index(batch_op.f('ix_sync_runs_customer_id'))
        batch_op.drop_index('ix_sync_runs_created_id')
        batch_op.drop_index(batch_op.f('ix_sync_runs_connection_id'))

    op.drop_table('sync_runs')
    with op.batch_alter_table('platform_connections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_platform_connections_customer_id'))

    op.drop_table('platform_connections')
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.drop_index('ix_campaigns_updated_id')
        batch_op.drop_index('ix_campaigns_title_id')
        batch_op.drop_index('ix_campaigns_status_id')
        batch_op.drop_index('ix_campaigns_start_id')
        batch_op.drop_index('ix_campaigns_platform_campaign_id')
        batch_op.drop_index('ix_campaigns_end_id')
        batch_op.drop_index(batch_op.f('ix_campaigns_customer_id'))
        batch_op.drop_index('ix_campaigns_budget_id')
        batch_op.drop_index('ix_campaigns_advertiser_id')

    op.drop_table('campaigns')
