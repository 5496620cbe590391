"""Constraints and indexes. Community edition supports uniqueness constraints only."""

from __future__ import annotations

# label -> key property; each gets a uniqueness constraint (which also indexes it)
NODE_KEYS: dict[str, str] = {
    "Contact": "id",
    "Organisation": "id",
    "Premises": "id",
    "Postcode": "code",
    "Ward": "key",
    "MosaicType": "code",
    "MosaicGroup": "code",
    "Directorate": "name",
    "Issue": "name",
    "Source": "name",
    "SourceRecord": "ref",
    "QuarantinedRecord": "ref",
    "SyncState": "name",
    "ReviewPair": "key",
    # the engagement record (graph.engagement_load); engagements logged in the web app are never swept
    "Engagement": "ref",
    "Group": "key",
    "Sector": "key",
    "Hub": "key",
    "SurveyResponse": "ref",
    "EngagementState": "name",  # numbers the engagements logged in the web app (web:E-1, web:E-2…)
    # what the reports read of each contact (graph.reports): worked out after every load
    "ReportContact": "contact_id",
    # stewardship and lineage: never swept by a sync
    "MergeDecision": "id",
    "StewardState": "name",
    "EntityId": "id",
    "IdentityEvent": "id",
    # the web app's saved audiences: never swept by a sync either
    "SavedAudience": "name",
    # messages and their deliveries (graph.messages): never swept by a sync
    "Message": "id",
    "MessageState": "name",
    "MessageVersion": "key",
    "Delivery": "key",
    "ChannelEvent": "key",
}

SCHEMA_STATEMENTS: tuple[str, ...] = tuple(
    f"CREATE CONSTRAINT {label.lower()}_{key} IF NOT EXISTS FOR (n:{label}) REQUIRE n.{key} IS UNIQUE"
    for label, key in NODE_KEYS.items()
) + (
    "CREATE POINT INDEX postcode_location IF NOT EXISTS FOR (p:Postcode) ON (p.location)",
    "CREATE RANGE INDEX contact_priority IF NOT EXISTS FOR (c:Contact) ON (c.priority_rank)",
    "CREATE RANGE INDEX contact_restricted IF NOT EXISTS FOR (c:Contact) ON (c.restricted)",
    "CREATE RANGE INDEX record_source IF NOT EXISTS FOR (r:SourceRecord) ON (r.source)",
    "CREATE CONSTRAINT message_request IF NOT EXISTS FOR (m:Message) REQUIRE m.request IS UNIQUE",
    "CREATE RANGE INDEX delivery_message IF NOT EXISTS FOR (d:Delivery) ON (d.message_id)",
    "CREATE RANGE INDEX delivery_provider IF NOT EXISTS FOR (d:Delivery) ON (d.provider_id)",
    # a profile's timeline: the messages a contact was sent
    "CREATE RANGE INDEX delivery_contact IF NOT EXISTS FOR (d:Delivery) ON (d.contact_id)",
    # the key a caller makes for a new decision, so that a retried transaction never stores it twice
    "CREATE CONSTRAINT mergedecision_request IF NOT EXISTS FOR (d:MergeDecision) REQUIRE d.request IS UNIQUE",
    # the key the web app makes for an engagement it logs, so that a retried transaction never stores it twice
    "CREATE CONSTRAINT engagement_request IF NOT EXISTS FOR (e:Engagement) REQUIRE e.request IS UNIQUE",
    "CREATE RANGE INDEX engagement_origin IF NOT EXISTS FOR (e:Engagement) ON (e.origin)",
    "CREATE RANGE INDEX engagement_organisation IF NOT EXISTS FOR (e:Engagement) ON (e.organisation_id)",
    "CREATE RANGE INDEX engagement_date IF NOT EXISTS FOR (e:Engagement) ON (e.date)",
    "CREATE RANGE INDEX engagement_contact IF NOT EXISTS FOR (e:Engagement) ON (e.contact_id)",
    "CREATE RANGE INDEX survey_date IF NOT EXISTS FOR (r:SurveyResponse) ON (r.date)",
    # the reports (graph.reports): their counts, contacts engaged after an as-of date, priority stakeholders
    "CREATE RANGE INDEX coverage_count IF NOT EXISTS FOR (x:CoverageCount) ON (x.grouping, x.last_engaged)",
    "CREATE RANGE INDEX satisfaction_count IF NOT EXISTS FOR (x:SatisfactionCount) ON (x.grouping, x.day)",
    "CREATE RANGE INDEX report_contact_last_engaged IF NOT EXISTS FOR (f:ReportContact) ON (f.last_engaged)",
    "CREATE RANGE INDEX report_contact_priority IF NOT EXISTS FOR (f:ReportContact) ON (f.priority_stakeholder)",
    "CREATE RANGE INDEX organisation_priority_stakeholder IF NOT EXISTS FOR (o:Organisation) "
    "ON (o.priority_stakeholder)",
    "CREATE RANGE INDEX identity_event_entity IF NOT EXISTS FOR (e:IdentityEvent) ON (e.entity_id)",
)
