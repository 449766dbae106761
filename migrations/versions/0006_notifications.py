"""Notifications: contact points, preferences, quiet hours, announcements, deliveries and their attempts

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 00:08:34.122921

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('contact_points',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('address', sa.String(length=254), nullable=False),
    sa.Column('label', sa.String(length=100), server_default='', nullable=False),
    sa.Column('verified', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('disabled_reason', sa.String(length=300), nullable=True),
    sa.Column('disabled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("channel IN ('email', 'sms')", name=op.f('ck_contact_points_channel_known')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_contact_points_customer_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_points')),
    sa.UniqueConstraint('customer_id', 'channel', 'address', name='uq_contact_points_customer_channel_address')
    )
    with op.batch_alter_table('contact_points', schema=None) as batch_op:
        batch_op.create_index('ix_contact_points_channel_address', ['channel', 'address'], unique=False)
        batch_op.create_index('ix_contact_points_created_id', ['created_at', 'id'], unique=False)

    op.create_table('notification_preferences',
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('event_type', sa.String(length=60), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("channel IN ('email', 'sms')", name=op.f('ck_notification_preferences_channel_known')),
    sa.CheckConstraint("event_type IN ('order.placed', 'order.confirmed', 'order.fulfilled', 'order.cancelled', 'balance.credited', 'balance.low', 'campaign.deleted_on_platform', 'announcement.sent')", name=op.f('ck_notification_preferences_event_type_known')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_notification_preferences_customer_id_customers')),
    sa.PrimaryKeyConstraint('customer_id', 'event_type', 'channel', name=op.f('pk_notification_preferences'))
    )
    op.create_table('quiet_hours',
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('time_zone', sa.String(length=64), nullable=False),
    sa.Column('starts', sa.Time(), nullable=False),
    sa.Column('ends', sa.Time(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_quiet_hours_customer_id_customers')),
    sa.PrimaryKeyConstraint('customer_id', name=op.f('pk_quiet_hours'))
    )
    op.create_table('announcements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('sms_text', sa.String(length=1600), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_announcements_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_announcements'))
    )
    op.create_table('deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('outbox_event_id', sa.Integer(), nullable=True),
    sa.Column('announcement_id', sa.Integer(), nullable=True),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('contact_point_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('address', sa.String(length=254), nullable=False),
    sa.Column('event_type', sa.String(length=60), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=True),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sending_since', sa.DateTime(timezone=True), nullable=True),
    sa.Column('provider_id', sa.String(length=200), nullable=True),
    sa.Column('resend_of_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint("channel IN ('email', 'sms')", name=op.f('ck_deliveries_channel_known')),
    sa.CheckConstraint("event_type IN ('order.placed', 'order.confirmed', 'order.fulfilled', 'order.cancelled', 'balance.credited', 'balance.low', 'campaign.deleted_on_platform', 'announcement.sent')", name=op.f('ck_deliveries_event_type_known')),
    sa.CheckConstraint("status IN ('queued', 'sending', 'sent', 'delivered', 'failed', 'suppressed', 'bounced')", name=op.f('ck_deliveries_status_known')),
    sa.ForeignKeyConstraint(['announcement_id'], ['announcements.id'], name=op.f('fk_deliveries_announcement_id_announcements')),
    sa.ForeignKeyConstraint(['contact_point_id'], ['contact_points.id'], name=op.f('fk_deliveries_contact_point_id_contact_points')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_deliveries_customer_id_customers')),
    sa.ForeignKeyConstraint(['outbox_event_id'], ['outbox_events.id'], name=op.f('fk_deliveries_outbox_event_id_outbox_events')),
    sa.ForeignKeyConstraint(['resend_of_id'], ['deliveries.id'], name=op.f('fk_deliveries_resend_of_id_deliveries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deliveries')),
    sa.UniqueConstraint('key', name=op.f('uq_deliveries_key'))
    )
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.create_index('ix_deliveries_announcement_status', ['announcement_id', 'status'], unique=False)
        batch_op.create_index('ix_deliveries_created_id', ['created_at', 'id'], unique=False)
        batch_op.create_index('ix_deliveries_customer_created_id', ['customer_id', 'created_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deliveries_provider_id'), ['provider_id'], unique=False)
        batch_op.create_index('ix_deliveries_status_next_attempt', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index('ix_deliveries_status_sending_since', ['status', 'sending_since'], unique=False)

    op.create_table('delivery_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('delivery_id', sa.Integer(), nullable=False),
    sa.Column('attempted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('reply', sa.Text(), server_default='', nullable=False),
    sa.ForeignKeyConstraint(['delivery_id'], ['deliveries.id'], name=op.f('fk_delivery_attempts_delivery_id_deliveries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_attempts'))
    )
    with op.batch_alter_table('delivery_attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_attempts_delivery_id'), ['delivery_id'], unique=False)

def downgrade():
    with op.batch_alter_table('delivery_attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_attempts_delivery_id'))

    op.drop_table('delivery_attempts')
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_index('ix_deliveries_status_sending_since')
        batch_op.drop_index('ix_deliveries_status_next_attempt')
        batch_op.drop_index(batch_op.f('ix_deliveries_provider_id'))
        batch_op.drop_index('ix_deliveries_customer_created_id')
        batch_op.drop_index('ix_deliveries_created_id')
        batch_op.drop_index('ix_deliveries_announcement_status')

    op.drop_table('deliveries')
    op.drop_table('announcements')
    op.drop_table('quiet_hours')
    op.drop_table('notification_preferences')
    with op.batch_alter_table('contact_points', schema=None) as batch_op:
        batch_op.drop_index('ix_contact_points_created_id')
        batch_op.drop_index('ix_contact_points_channel_address')

    op.drop_table('contact_points')
