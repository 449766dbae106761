"""Campaign indexes the sync writes for nothing: no trigram index on platform ids, no duplicate customer index

The platform id search becomes a prefix match that a B-tree with pattern ops serves; its trigram
index (random ids, many distinct trigrams) was about 36% of the WAL of a first campaign load.
ix_campaigns_customer_id repeated the leading column of uq_campaigns_platform_key.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 00:20:00
"""
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def _postgresql() -> bool:
    return op.get_bind().dialect.name == 'postgresql'


def upgrade():
    if _postgresql():
        op.execute('DROP INDEX ix_campaigns_platform_campaign_id_trgm')
    op.drop_index('ix_campaigns_customer_id', table_name='campaigns')
    op.drop_index('ix_campaigns_platform_campaign_id', table_name='campaigns')
    op.create_index('ix_campaigns_platform_campaign_id', 'campaigns', ['platform_campaign_id'],
                    postgresql_ops={'platform_campaign_id': 'varchar_pattern_ops'})


def downgrade():
    op.drop_index('ix_campaigns_platform_campaign_id', table_name='campaigns')
    op.create_index('ix_campaigns_platform_campaign_id', 'campaigns', ['platform_campaign_id'])
    op.create_index('ix_campaigns_customer_id', 'campaigns', ['customer_id'])
    if _postgresql():
        op.execute('CREATE INDEX ix_campaigns_platform_campaign_id_trgm ON campaigns '
                   'USING gin (platform_campaign_id gin_trgm_ops)')
