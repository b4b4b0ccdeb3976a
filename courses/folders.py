"""One folder page per institute under the catalogue, holding its courses, with its editors'
Wagtail page permissions and, outside Jazari Root, Jazari Root's approval.

`/courses/<institute slug>/` holds the institute's courses, so Wagtail's own page permissions
scope its editors group (`InstitutePage.editors`) to them: add, change and publish under its
folder and nowhere else. A folder is made, renamed and granted when its institute is saved
(`courses.signals`), when a course is put in it (`tests.factories`, the demo) or by the
migration that moved the courses in (`courses.0008`).

Moderation: a folder `moderated` (the default for every institute but the hub, changed by
administrators on the folder) is given the "Jazari Root approval" workflow, whose one task is
approved by Jazari Root's editors group (and administrators). Wagtail lets anyone with the
publish permission publish without the workflow (the edit view offers "Publish" to them), so
the editors of a moderated institute hold add and change only: every change they make waits
for Jazari Root's approval, and they submit rather than publish. Jazari Root's editors hold no
permission on other institutes' folders either: Wagtail opens a course's editor to a task's
reviewers while it waits for them, and their approval publishes it (`courses.workflows`).
"""

from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from courses.models import CourseIndexPage, InstituteCoursesPage
from institutes.models import InstitutePage

# What an institute's editors may do under its folder; publishing only if not moderated.
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")
PUBLISH = "publish_page"
APPROVAL_WORKFLOW = "Jazari Root approval"


def institute_folder(institute: InstitutePage) -> InstituteCoursesPage | None:
    """The institute's folder, made (and its title and slug kept in step) on demand, with its
    editors' permissions and its workflow; None while there is no catalogue to hold it."""
    with transaction.atomic():
        folder = InstituteCoursesPage.objects.originals().filter(institute=institute).first()
        if folder is None:
            catalogue = CourseIndexPage.objects.originals().order_by("path").first()
            if catalogue is None:
                return None
            folder = InstituteCoursesPage(
                title=institute.title,
                slug=institute.slug,
                institute=institute,
                moderated=not institute.is_hub,
                live=True,
                first_published_at=timezone.now(),
            )
            catalogue.add_child(instance=folder)  # its rules follow (`courses.signals`)
        elif (folder.title, folder.slug) != (institute.title, institute.slug):
            folder.title = folder.draft_title = institute.title
            folder.slug = institute.slug
            folder.save()  # moves its courses' URLs; Wagtail makes redirects from the old ones
        else:
            keep_folder_rules(folder, institute)
        return folder


def keep_folder_rules(folder: InstituteCoursesPage, institute: InstitutePage) -> None:
    """The editors' page permissions on the folder and its workflow, as `moderated` says; the
    same on its translations (the Arabic and English trees), where the editors translate."""
    for page in InstituteCoursesPage.objects.filter(translation_key=folder.translation_key):
        _keep_rules(page, moderated=is_moderated(folder, institute), institute=institute)


def _keep_rules(folder, moderated, institute):
    if institute.editors_id:
        wanted = set(EDITOR_PAGE_PERMISSIONS) - ({PUBLISH} if moderated else set())
        for permission in Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=EDITOR_PAGE_PERMISSIONS
        ):
            if permission.codename in wanted:
                GroupPagePermission.objects.get_or_create(
                    group_id=institute.editors_id, page=folder, permission=permission
                )
            else:
                GroupPagePermission.objects.filter(
                    group_id=institute.editors_id, page=folder, permission=permission
                ).delete()
    if moderated:
        workflow = approval_workflow()
        WorkflowPage.objects.update_or_create(page=folder, defaults={"workflow": workflow})
    else:
        WorkflowPage.objects.filter(page=folder, workflow__name=APPROVAL_WORKFLOW).delete()


def revoke_editors(folder: InstituteCoursesPage, group_id: int) -> None:
    """Take the editors' page permissions on the folder (and its translations) from a group that
    no longer edits it."""
    GroupPagePermission.objects.filter(
        group_id=group_id,
        page__translation_key=folder.translation_key,
        permission__content_type__app_label="wagtailcore",
        permission__codename__in=EDITOR_PAGE_PERMISSIONS,
    ).delete()


def is_moderated(folder: InstituteCoursesPage, institute: InstitutePage) -> bool:
    """Jazari Root publishes its own courses; other institutes' need its approval unless an
    administrator turned moderation off on their folder."""
    return folder.moderated and not institute.is_hub


def approval_workflow() -> Workflow:
    """ "Jazari Root approval": one task, approved by the hub's editors group (and, as every
    Wagtail task, by administrators)."""
    workflow, _created = Workflow.objects.get_or_create(name=APPROVAL_WORKFLOW)
    task = GroupApprovalTask.objects.filter(workflow_tasks__workflow=workflow).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=APPROVAL_WORKFLOW)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    hub_groups = InstitutePage.objects.filter(is_hub=True, editors__isnull=False).values_list(
        "editors", flat=True
    )
    task.groups.add(*hub_groups)
    return workflow
