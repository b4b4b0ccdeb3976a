"""Courses move from `/courses/<course>/` into their institute's folder,
`/courses/<institute>/<course>/`; the old URLs answer 301 to the new ones (one Wagtail redirect
per course, which `jazari.middleware.LanguageRedirectMiddleware` also answers under the
language prefixes, to the page in that language), and each folder grants its institute's editors group
Wagtail's page permissions (see `courses.folders`, which keeps them from now on).

Historical models have no tree methods: paths are written as treebeard writes them (steps of
four base-36 characters). Running it again changes nothing.
"""

from django.db import migrations
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = 4
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")
APPROVAL_WORKFLOW = "Jazari Root approval"


def step(position):
    digits = ""
    while position:
        position, digit = divmod(position, len(ALPHABET))
        digits = ALPHABET[digit] + digits
    return digits.rjust(STEPLEN, "0")


def position_of(path):
    value = 0
    for char in path[-STEPLEN:]:
        value = value * len(ALPHABET) + ALPHABET.index(char)
    return value


class Children:
    """Hands out the next free path under a parent page."""

    def __init__(self, Page, parent):
        self.parent = parent
        last = (
            Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
            .order_by("-path")
            .values_list("path", flat=True)
            .first()
        )
        self.next = position_of(last) + 1 if last else 1

    def take(self):
        path = self.parent.path + step(self.next)
        self.next += 1
        return path


def content_type(apps, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label=model[0], model=model[1])[0]


def approval_workflow(apps, InstitutePage):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    workflow, _created = Workflow.objects.get_or_create(name=APPROVAL_WORKFLOW)
    link = WorkflowTask.objects.filter(workflow=workflow).first()
    if link is None:
        task = GroupApprovalTask.objects.create(
            name=APPROVAL_WORKFLOW,
            content_type=content_type(apps, ("wagtailcore", "groupapprovaltask")),
        )
        WorkflowTask.objects.create(workflow=workflow, task_id=task.pk, sort_order=0)
    else:
        task = GroupApprovalTask.objects.get(pk=link.task_id)
    task.groups.add(
        *InstitutePage.objects.filter(is_hub=True, editors__isnull=False).values_list(
            "editors", flat=True
        )
    )
    return workflow


def move_courses(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    CourseIndexPage = apps.get_model("courses", "CourseIndexPage")
    CoursePage = apps.get_model("courses", "CoursePage")
    Folder = apps.get_model("courses", "InstituteCoursesPage")
    InstitutePage = apps.get_model("institutes", "InstitutePage")
    RedirectModel = apps.get_model("wagtailredirects", "Redirect")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Permission = apps.get_model("auth", "Permission")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")

    catalogue = CourseIndexPage.objects.order_by("path").first()
    if catalogue is None:
        return
    folder_type = content_type(apps, ("courses", "institutecoursespage"))
    now = timezone.now()

    # A folder per institute.
    under_catalogue = Children(Page, catalogue)
    folders = {folder.institute_id: folder for folder in Folder.objects.all()}
    for institute in InstitutePage.objects.order_by("path"):
        if institute.pk in folders:
            continue
        folders[institute.pk] = Folder.objects.create(
            title=institute.title,
            draft_title=institute.title,
            slug=institute.slug,
            content_type=folder_type,
            path=under_catalogue.take(),
            depth=catalogue.depth + 1,
            numchild=0,
            url_path=f"{catalogue.url_path}{institute.slug}/",
            locale_id=catalogue.locale_id,
            live=True,
            has_unpublished_changes=False,
            first_published_at=now,
            last_published_at=now,
            institute_id=institute.pk,
            moderated=not institute.is_hub,
        )

    # Courses into their folder, with redirects from where they were.
    sites = list(Site.objects.select_related("root_page"))
    slots = {}
    for course in CoursePage.objects.filter(
        path__startswith=catalogue.path, depth=catalogue.depth + 1
    ).order_by("path"):
        folder = folders[course.institute_id]
        slots.setdefault(folder.pk, Children(Page, folder))
        old_url_path = course.url_path
        new_url_path = f"{folder.url_path}{course.slug}/"
        Page.objects.filter(pk=course.pk).update(
            path=slots[folder.pk].take(), depth=folder.depth + 1, url_path=new_url_path
        )
        for site in sites:
            root = site.root_page.url_path
            if not old_url_path.startswith(root):
                continue
            RedirectModel.objects.get_or_create(
                old_path=Redirect.normalise_path("/" + old_url_path[len(root) :]),
                site_id=site.pk,
                defaults={
                    "redirect_page_id": course.pk,
                    "is_permanent": True,
                    "automatically_created": True,
                },
            )
    for page in [catalogue, *folders.values()]:
        Page.objects.filter(pk=page.pk).update(
            numchild=Page.objects.filter(path__startswith=page.path, depth=page.depth + 1).count()
        )

    # The editors' page permissions, and Jazari Root's approval outside the hub.
    permissions = {
        p.codename: p
        for p in Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=EDITOR_PAGE_PERMISSIONS
        )
    }
    workflow = None
    for institute in InstitutePage.objects.all():
        folder = folders[institute.pk]
        moderated = folder.moderated and not institute.is_hub
        if institute.editors_id:
            for codename, permission in permissions.items():
                if moderated and codename == "publish_page":
                    continue
                GroupPagePermission.objects.get_or_create(
                    group_id=institute.editors_id, page_id=folder.pk, permission=permission
                )
        if moderated:
            workflow = workflow or approval_workflow(apps, InstitutePage)
            WorkflowPage.objects.get_or_create(page_id=folder.pk, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0007_institute_folders"),
        ("institutes", "0004_editors_help"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(move_courses, migrations.RunPython.noop)]
