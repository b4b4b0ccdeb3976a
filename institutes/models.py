"""The network: Jazari Root (the hub, in Rabat) and the regional Jazari Institutes."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from institutes.groups import keep_editors_group
from institutes.network_map import network_map
from institutes.regions import Region
from jazari.i18n import ActiveLanguageURLMixin, OriginalPagesManager, is_original, with_text
from jazari.registry import ContextRegistry


class InstitutesIndexPage(ActiveLanguageURLMixin, Page):
    """`/institutes/`: the network, grouped by region."""

    objects = OriginalPagesManager()

    intro = RichTextField(blank=True, verbose_name=_("introduction"))

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["institutes.InstitutePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("institutes index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        institutes = with_text(
            list(InstitutePage.objects.live().child_of(self.original).order_by("-is_hub", "title"))
        )
        context["regions"] = group_by_region(institutes)
        context["network_map"] = network_map(institutes)
        return context


def group_by_region(institutes):
    """[(region label, [institutes…]), …] in the order of Region, the hub's region first."""
    by_region = {}
    for institute in institutes:
        by_region.setdefault(institute.region, []).append(institute)
    order = [code for code, _label in Region.choices]
    hub_regions = [i.region for i in institutes if i.is_hub]
    ordered = sorted(by_region, key=lambda code: (code not in hub_regions, order.index(code)))
    return [(Region(code).label, by_region[code]) for code in ordered]


# What the apps above add to an institute's page: `courses` its courses and next sessions.
institute_page_context = ContextRegistry("institute page")


class InstitutePage(ActiveLanguageURLMixin, Page):
    """One centre of the network, with where it is and how to reach it."""

    objects = OriginalPagesManager()

    # Identity
    is_hub = models.BooleanField(
        _("network hub"), default=False, help_text=_("Jazari Root, which federates the network.")
    )
    intro = models.TextField(_("introduction"), blank=True, max_length=500)
    body = RichTextField(_("description"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # Location
    region = models.CharField(_("region"), max_length=40, choices=Region.choices, db_index=True)
    city = models.CharField(_("city"), max_length=100)
    address = models.TextField(_("address"), blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    # Editors: members of this group edit the institute's courses and see its learners.
    editors = models.ForeignKey(
        "auth.Group",
        verbose_name=_("editors"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Members edit the institute's courses and files and see its learners; made and "
            "renamed with the institute."
        ),
    )

    # Contact
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)

    # Certificates: printed on those of the institute's courses (the signatory is copied into
    # each certificate when it is issued).
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Printed on certificates; a PNG or SVG on a light background works best."),
    )
    signatory_name = models.CharField(
        _("signatory"),
        max_length=150,
        blank=True,
        help_text=_("Who signs the institute's certificates, e.g. Dr Salma Bennani."),
    )
    signatory_role = models.CharField(
        _("signatory's role"),
        max_length=150,
        blank=True,
        help_text=_("e.g. Director of the institute."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("is_hub"),
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("image"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("region"), FieldPanel("city")]),
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            ],
            heading=_("Location"),
        ),
        MultiFieldPanel(
            [FieldPanel("email"), FieldPanel("phone"), FieldPanel("website")],
            heading=_("Contact"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("logo"),
                FieldRowPanel([FieldPanel("signatory_name"), FieldPanel("signatory_role")]),
            ],
            heading=_("Certificates"),
        ),
        FieldPanel("editors", permission="superuser"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
        index.SearchField("city"),
        index.AutocompleteField("city"),
        index.FilterField("region"),
    ]
    parent_page_types = ["institutes.InstitutesIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("institute")
        verbose_name_plural = _("institutes")

    def save(self, *args, **kwargs):
        """Save the institute, with its editors group made or renamed first."""
        update_fields = kwargs.get("update_fields")
        # A translation shares its original's group (`editors` is copied to it).
        if not is_original(self):
            pass
        elif update_fields is None or {"title", "editors"} & set(update_fields):
            previous = (
                InstitutePage.objects.filter(pk=self.pk).values_list("title", flat=True).first()
                if self.pk
                else None
            )
            keep_editors_group(self, previous)
        return super().save(*args, **kwargs)

    @property
    def one_line_address(self) -> str:
        """The address and the city on one line, e.g. for a calendar's location."""
        lines = [line.strip() for line in (self.address or "").splitlines() if line.strip()]
        address = ", ".join(lines)
        if self.city and self.city not in address:
            address = f"{address}, {self.city}" if address else self.city
        return address

    @property
    def region_label(self):
        return Region(self.region).label if self.region else ""

    def get_context(self, request, *args, **kwargs):
        """`institute`: the original, which courses and sessions name; this page gives the text
        (`page`, the translation in the reader's language where there is one)."""
        context = super().get_context(request, *args, **kwargs)
        institute = self.original
        institute.text = self
        context["institute"] = institute
        context.update(institute_page_context.context(institute))
        return context
