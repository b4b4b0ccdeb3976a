"""What an approved workflow does, the site's `WAGTAIL_FINISH_WORKFLOW_ACTION`.

Imported by Wagtail while `wagtail.models` loads: it imports nothing.
"""


def publish_approved(workflow_state, user=None):
    """What an approved workflow does: publish the latest revision, as its last reviewer.

    Wagtail's own action publishes with the reviewer's page permissions, which Jazari Root's
    editors do not hold on another institute's folder; the workflow's tasks already decided
    who may approve (their groups, and administrators).
    """
    revision = workflow_state.content_object.get_latest_revision()
    revision.publish(user=user, skip_permission_checks=True)
