"""StreamField blocks for the body of a course page."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("text"), max_length=120)
    level = blocks.ChoiceBlock(label=_("level"), choices=[("h2", "H2"), ("h3", "H3")], default="h2")

    class Meta:
        icon = "title"
        template = "courses/blocks/heading.html"
        preview_value = {"text": "Programme", "level": "h2"}


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("quote"))
    attribution = blocks.CharBlock(label=_("attribution"), required=False)

    class Meta:
        icon = "openquote"
        template = "courses/blocks/quote.html"
        preview_value = {
            "text": "La meilleure façon de comprendre un modèle, c'est d'en construire un.",
            "attribution": "Jazari Root",
        }


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("paragraph"),
        features=["bold", "italic", "link", "ol", "ul", "code"],
        icon="pilcrow",
        preview_value="<p>Trois demi-journées de pratique sur des jeux de données publics.</p>",
    )
    image = ImageBlock(label=_("image"))
    quote = QuoteBlock()
    embed = EmbedBlock(label=_("video"), icon="media")

    class Meta:
        template = "courses/blocks/body.html"


class OutcomeBlock(blocks.StreamBlock):
    outcome = blocks.CharBlock(
        label=_("learning outcome"),
        max_length=250,
        icon="tick",
        preview_value="Entraîner et évaluer un modèle de classification.",
    )
