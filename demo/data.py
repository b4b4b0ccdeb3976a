"""The fixed content of the demo site: the network, the skills framework, instructors, courses.

Everything here is fictional but plausible, and labelled as demo data wherever a visitor can
see it (page introductions, course bodies, instructor biographies). It is plain Python rather
than a JSON fixture so that it cannot drift from the models unnoticed: `builder.py` writes it
through the models, and a renamed field fails loudly.

Slugs and names are the stable keys the builder looks things up by, so changing a title here
updates the existing object on the next `seed_demo`, while changing a slug creates a new one.
"""

from dataclasses import dataclass

from courses.models import CourseFormat, CourseLevel
from institutes.regions import Region
from skills.models import SkillLevel

DEMO_NOTICE = "Données de démonstration — fictives"
"""Shown on every page the seed writes, so nobody takes the demo for the real network."""


# The network ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class InstituteData:
    slug: str
    title: str
    region: Region
    city: str
    address: str
    latitude: str
    longitude: str
    email: str
    phone: str
    is_hub: bool = False


INSTITUTES = (
    InstituteData(
        "jazari-root",
        "Jazari Root",
        Region.RABAT_SALE_KENITRA,
        "Rabat",
        "Avenue Annakhil, Hay Riad, 10100 Rabat",
        "33.959700",
        "-6.874600",
        "contact.root@jazari.example",
        "+212 537 00 10 00",
        is_hub=True,
    ),
    InstituteData(
        "jazari-tanger",
        "Jazari Institute Tanger",
        Region.TANGER_TETOUAN_AL_HOCEIMA,
        "Tanger",
        "Route de Tétouan, zone Tanger Tech, 90000 Tanger",
        "35.759500",
        "-5.834000",
        "contact.tanger@jazari.example",
        "+212 539 00 20 00",
    ),
    InstituteData(
        "jazari-oujda",
        "Jazari Institute Oujda",
        Region.ORIENTAL,
        "Oujda",
        "Technopole d'Oujda, route de l'aéroport, 60000 Oujda",
        "34.681400",
        "-1.908600",
        "contact.oujda@jazari.example",
        "+212 536 00 30 00",
    ),
    InstituteData(
        "jazari-fes",
        "Jazari Institute Fès",
        Region.FES_MEKNES,
        "Fès",
        "Route d'Imouzzer, campus universitaire, 30000 Fès",
        "34.018100",
        "-5.007800",
        "contact.fes@jazari.example",
        "+212 535 00 40 00",
    ),
    InstituteData(
        "jazari-beni-mellal",
        "Jazari Institute Béni Mellal",
        Region.BENI_MELLAL_KHENIFRA,
        "Béni Mellal",
        "Boulevard Mohammed V, 23000 Béni Mellal",
        "32.337300",
        "-6.349800",
        "contact.benimellal@jazari.example",
        "+212 523 00 50 00",
    ),
    InstituteData(
        "jazari-casablanca",
        "Jazari Institute Casablanca",
        Region.CASABLANCA_SETTAT,
        "Casablanca",
        "Boulevard Al Qods, Sidi Maârouf, 20270 Casablanca",
        "33.573100",
        "-7.589800",
        "contact.casablanca@jazari.example",
        "+212 522 00 60 00",
    ),
    InstituteData(
        "jazari-marrakech",
        "Jazari Institute Marrakech",
        Region.MARRAKECH_SAFI,
        "Marrakech",
        "Avenue Abdelkrim El Khattabi, Guéliz, 40000 Marrakech",
        "31.629500",
        "-7.981100",
        "contact.marrakech@jazari.example",
        "+212 524 00 70 00",
    ),
    InstituteData(
        "jazari-errachidia",
        "Jazari Institute Errachidia",
        Region.DRAA_TAFILALET,
        "Errachidia",
        "Avenue Moulay Ali Cherif, 52000 Errachidia",
        "31.931400",
        "-4.424400",
        "contact.errachidia@jazari.example",
        "+212 535 00 80 00",
    ),
    InstituteData(
        "jazari-agadir",
        "Jazari Institute Agadir",
        Region.SOUSS_MASSA,
        "Agadir",
        "Cité Dakhla, près du campus Ibn Zohr, 80000 Agadir",
        "30.427800",
        "-9.598100",
        "contact.agadir@jazari.example",
        "+212 528 00 90 00",
    ),
    InstituteData(
        "jazari-guelmim",
        "Jazari Institute Guelmim",
        Region.GUELMIM_OUED_NOUN,
        "Guelmim",
        "Avenue Hassan II, 81000 Guelmim",
        "28.987000",
        "-10.057400",
        "contact.guelmim@jazari.example",
        "+212 528 01 10 00",
    ),
    InstituteData(
        "jazari-laayoune",
        "Jazari Institute Laâyoune",
        Region.LAAYOUNE_SAKIA_EL_HAMRA,
        "Laâyoune",
        "Boulevard de La Mecque, 70000 Laâyoune",
        "27.125300",
        "-13.162500",
        "contact.laayoune@jazari.example",
        "+212 528 01 20 00",
    ),
    InstituteData(
        "jazari-dakhla",
        "Jazari Institute Dakhla",
        Region.DAKHLA_OUED_ED_DAHAB,
        "Dakhla",
        "Avenue Al Walaa, 73000 Dakhla",
        "23.684800",
        "-15.958000",
        "contact.dakhla@jazari.example",
        "+212 528 01 30 00",
    ),
)


# Who signs each institute's certificates (fictional, like every name of the demo).
SIGNATORIES = {
    "jazari-root": ("Pr Leila Bensaïd", "Directrice de Jazari Root"),
    "jazari-tanger": ("Dr Youssef El Amrani", "Directeur de l'institut"),
    "jazari-oujda": ("Dr Samira Haddou", "Directrice de l'institut"),
    "jazari-fes": ("Pr Karim Lahlou", "Directeur de l'institut"),
    "jazari-beni-mellal": ("Dr Hanane Ouazzani", "Directrice de l'institut"),
    "jazari-casablanca": ("Dr Mehdi Berrada", "Directeur de l'institut"),
    "jazari-marrakech": ("Dr Nadia Chraibi", "Directrice de l'institut"),
    "jazari-errachidia": ("Dr Hamid Ait Ouaddou", "Directeur de l'institut"),
    "jazari-agadir": ("Dr Fatima Zahra Amzil", "Directrice de l'institut"),
    "jazari-guelmim": ("Dr Brahim Ould Sidi", "Directeur de l'institut"),
    "jazari-laayoune": ("Dr Mariem Lahbib", "Directrice de l'institut"),
    "jazari-dakhla": ("Dr Salek Ahmed Baba", "Directeur de l'institut"),
}


# The skills framework ------------------------------------------------------------------------


@dataclass(frozen=True)
class SkillData:
    slug: str
    name: str
    description: str
    esco: bool = False
    """Whether the demo links this skill to an ESCO-style URI (see `builder.esco_uri`)."""


@dataclass(frozen=True)
class CategoryData:
    slug: str
    name: str
    description: str
    skills: tuple[SkillData, ...]


SKILL_CATEGORIES = (
    CategoryData(
        "fondamentaux-ia",
        "Fondamentaux de l'IA",
        "Les notions et les outils de base pour comprendre et pratiquer l'intelligence "
        "artificielle.",
        (
            SkillData(
                "comprendre-ia",
                "Comprendre l'intelligence artificielle",
                "Expliquer ce que font les systèmes d'IA, leurs limites et leurs usages courants.",
                esco=True,
            ),
            SkillData(
                "mathematiques-pour-ia",
                "Mathématiques pour l'IA",
                "Algèbre linéaire, probabilités et optimisation utiles à l'apprentissage "
                "automatique.",
            ),
            SkillData(
                "programmation-python",
                "Programmation Python pour la donnée",
                "Écrire des scripts et des notebooks Python avec pandas et NumPy.",
                esco=True,
            ),
            SkillData(
                "pensee-algorithmique",
                "Pensée algorithmique",
                "Décomposer un problème en étapes et raisonner sur la complexité d'une solution.",
            ),
            SkillData(
                "culture-donnees",
                "Culture de la donnée",
                "Lire un jeu de données, poser les bonnes questions et se méfier des chiffres "
                "trompeurs.",
            ),
        ),
    ),
    CategoryData(
        "apprentissage-automatique",
        "Apprentissage automatique",
        "Entraîner, évaluer et améliorer des modèles à partir de données.",
        (
            SkillData(
                "apprentissage-supervise",
                "Apprentissage supervisé",
                "Régression et classification : choisir, entraîner et régler un modèle.",
                esco=True,
            ),
            SkillData(
                "apprentissage-non-supervise",
                "Apprentissage non supervisé",
                "Regroupement, réduction de dimension et détection d'anomalies.",
            ),
            SkillData(
                "evaluation-modeles",
                "Évaluation et validation de modèles",
                "Choisir des métriques, valider sans fuite de données et interpréter les erreurs.",
            ),
            SkillData(
                "apprentissage-profond",
                "Apprentissage profond",
                "Réseaux de neurones, entraînement sur GPU et transfert d'apprentissage.",
                esco=True,
            ),
            SkillData(
                "series-temporelles",
                "Prévision de séries temporelles",
                "Modéliser et prévoir des grandeurs qui évoluent dans le temps.",
            ),
        ),
    ),
    CategoryData(
        "ia-generative-llm",
        "IA générative et LLM",
        "Utiliser, adapter et évaluer les grands modèles de langage et les modèles génératifs.",
        (
            SkillData(
                "ingenierie-prompts",
                "Ingénierie des prompts",
                "Formuler des instructions fiables et reproductibles pour un modèle de langage.",
            ),
            SkillData(
                "rag",
                "Génération augmentée par la recherche (RAG)",
                "Relier un modèle de langage à une base documentaire et citer ses sources.",
            ),
            SkillData(
                "fine-tuning-llm",
                "Adaptation fine de modèles de langage",
                "Spécialiser un modèle ouvert sur un domaine ou une langue à partir d'exemples.",
            ),
            SkillData(
                "agents-llm",
                "Agents et outils LLM",
                "Orchestrer un modèle qui appelle des outils, planifie et vérifie son travail.",
            ),
            SkillData(
                "evaluation-llm",
                "Évaluation des modèles génératifs",
                "Construire des jeux de tests et mesurer qualité, robustesse et hallucinations.",
            ),
        ),
    ),
    CategoryData(
        "donnees-ingenierie",
        "Données et ingénierie des données",
        "Collecter, stocker, transformer et partager des données fiables.",
        (
            SkillData(
                "sql-bases-donnees",
                "SQL et bases de données",
                "Interroger et modéliser une base relationnelle.",
                esco=True,
            ),
            SkillData(
                "pipelines-donnees",
                "Pipelines de données (ETL/ELT)",
                "Automatiser l'extraction, la transformation et le chargement des données.",
            ),
            SkillData(
                "qualite-donnees",
                "Qualité et gouvernance des données",
                "Mesurer et améliorer la qualité, documenter l'origine et les usages des données.",
            ),
            SkillData(
                "visualisation-donnees",
                "Visualisation de données",
                "Concevoir des graphiques et des tableaux de bord lisibles et honnêtes.",
                esco=True,
            ),
            SkillData(
                "donnees-ouvertes",
                "Données ouvertes et interopérabilité",
                "Publier et réutiliser des données ouvertes selon des formats standard.",
            ),
        ),
    ),
    CategoryData(
        "vision-ordinateur",
        "Vision par ordinateur",
        "Faire comprendre des images et des vidéos à une machine.",
        (
            SkillData(
                "classification-images",
                "Classification d'images",
                "Reconnaître le contenu d'une image avec un réseau convolutif ou un transformeur.",
            ),
            SkillData(
                "detection-objets",
                "Détection d'objets",
                "Localiser et compter des objets dans des images ou des flux vidéo.",
            ),
            SkillData(
                "imagerie-satellitaire",
                "Analyse d'imagerie satellitaire",
                "Exploiter les images Sentinel ou Landsat pour suivre cultures, eau et "
                "territoires.",
            ),
            SkillData(
                "ocr-documents",
                "Reconnaissance de documents (OCR)",
                "Extraire le texte et la structure de documents scannés en arabe et en français.",
            ),
        ),
    ),
    CategoryData(
        "traitement-langues",
        "Traitement automatique des langues",
        "Analyser, traduire et produire du texte et de la parole, y compris en arabe et en darija.",
        (
            SkillData(
                "tal-fondamentaux",
                "Fondamentaux du TAL",
                "Tokenisation, représentations vectorielles et classification de textes.",
                esco=True,
            ),
            SkillData(
                "tal-arabe",
                "TAL pour l'arabe standard",
                "Traiter la morphologie riche et l'écriture de l'arabe standard moderne.",
            ),
            SkillData(
                "tal-darija",
                "TAL pour la darija",
                "Traiter l'arabe marocain écrit en graphie arabe ou latine (arabizi).",
            ),
            SkillData(
                "traduction-automatique",
                "Traduction automatique",
                "Entraîner et évaluer des systèmes de traduction entre arabe, français et anglais.",
            ),
            SkillData(
                "reconnaissance-parole",
                "Reconnaissance de la parole",
                "Transcrire la parole, y compris la darija et les langues amazighes.",
            ),
        ),
    ),
    CategoryData(
        "ia-responsable",
        "IA responsable, éthique et droit",
        "Concevoir et déployer des systèmes d'IA dignes de confiance et conformes au droit.",
        (
            SkillData(
                "ethique-ia",
                "Éthique de l'IA",
                "Identifier les enjeux éthiques d'un projet et arbitrer entre les risques.",
                esco=True,
            ),
            SkillData(
                "protection-donnees",
                "Protection des données personnelles (loi 09-08)",
                "Appliquer la loi 09-08 et les recommandations de la CNDP à un projet d'IA.",
            ),
            SkillData(
                "biais-equite",
                "Biais et équité des algorithmes",
                "Détecter, mesurer et réduire les biais d'un modèle.",
            ),
            SkillData(
                "explicabilite",
                "Explicabilité des modèles",
                "Expliquer une décision de modèle à un usager ou à un auditeur.",
            ),
            SkillData(
                "gouvernance-ia",
                "Gouvernance et conformité de l'IA",
                "Mettre en place registres, analyses d'impact et contrôle humain.",
            ),
        ),
    ),
    CategoryData(
        "administration-numerique",
        "Transformation numérique de l'administration",
        "Moderniser les services publics avec le numérique et l'IA, au service des usagers.",
        (
            SkillData(
                "services-publics-numeriques",
                "Conception de services publics numériques",
                "Partir des besoins des usagers pour concevoir un service en ligne simple.",
            ),
            SkillData(
                "conduite-changement",
                "Conduite du changement numérique",
                "Accompagner les équipes et les usagers lors d'une transformation.",
                esco=True,
            ),
            SkillData(
                "achats-publics-ia",
                "Achat public de solutions d'IA",
                "Rédiger un cahier des charges et évaluer des offres de solutions d'IA.",
            ),
            SkillData(
                "automatisation-processus",
                "Automatisation des processus administratifs",
                "Repérer les tâches répétitives et les automatiser sans perdre le contrôle.",
            ),
            SkillData(
                "cybersecurite-base",
                "Hygiène de cybersécurité",
                "Adopter les bons réflexes face au hameçonnage et protéger ses comptes.",
                esco=True,
            ),
        ),
    ),
    CategoryData(
        "cloud-mlops",
        "Cloud et MLOps",
        "Mettre des modèles en production et les faire vivre de façon fiable.",
        (
            SkillData(
                "cloud-fondamentaux",
                "Fondamentaux du cloud",
                "Calcul, stockage et réseau dans le cloud, coûts et souveraineté.",
                esco=True,
            ),
            SkillData(
                "conteneurs",
                "Conteneurs et orchestration",
                "Empaqueter une application avec Docker et la déployer sur Kubernetes.",
            ),
            SkillData(
                "mlops",
                "Industrialisation des modèles (MLOps)",
                "Versionner données et modèles, automatiser entraînement et déploiement.",
            ),
            SkillData(
                "deploiement-api",
                "Déploiement de modèles en API",
                "Servir un modèle derrière une API documentée, sûre et mesurée.",
            ),
            SkillData(
                "suivi-modeles",
                "Suivi des modèles en production",
                "Surveiller la dérive des données et la qualité des prédictions.",
            ),
        ),
    ),
    CategoryData(
        "entrepreneuriat-produit",
        "Entrepreneuriat et produit IA",
        "Transformer une idée fondée sur l'IA en produit utile et en entreprise viable.",
        (
            SkillData(
                "product-management-ia",
                "Gestion de produit IA",
                "Définir la valeur, prioriser et mesurer un produit qui embarque de l'IA.",
            ),
            SkillData(
                "modele-economique",
                "Modèle économique d'une start-up IA",
                "Estimer coûts d'inférence, prix et marché d'une offre fondée sur l'IA.",
            ),
            SkillData(
                "design-thinking",
                "Design thinking et co-conception",
                "Animer des ateliers avec usagers et métiers pour concevoir ensemble.",
                esco=True,
            ),
            SkillData(
                "pitch-financement",
                "Pitch et levée de fonds",
                "Présenter un projet à des investisseurs et à des programmes de soutien.",
            ),
            SkillData(
                "cas-usage-ia",
                "Identification de cas d'usage IA",
                "Repérer où l'IA apporte vraiment quelque chose dans une organisation.",
            ),
        ),
    ),
)


# Instructors ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class InstructorData:
    name: str
    role: str
    organisation: str


MISTRAL_LAB = "Laboratoire Mistral AI & MTNRA"

INSTRUCTORS = (
    InstructorData("Salma Bennani", "Directrice scientifique", "Jazari Root"),
    InstructorData(
        "Youssef El Amrani", "Ingénieur de recherche en apprentissage automatique", MISTRAL_LAB
    ),
    InstructorData("Khadija Tazi", "Professeure d'informatique", "Université Mohammed V de Rabat"),
    InstructorData("Mehdi Alaoui", "Ingénieur données", "Jazari Institute Casablanca"),
    InstructorData("Nadia Chraibi", "Juriste, protection des données", "Jazari Root"),
    InstructorData("Omar Berrada", "Architecte cloud", "Jazari Institute Agadir"),
    InstructorData(
        "Hicham Ouazzani",
        "Professeur en science des données",
        "Université Sidi Mohamed Ben Abdellah, Fès",
    ),
    InstructorData(
        "Imane Idrissi",
        "Chercheuse en traitement automatique de l'arabe",
        "Université Abdelmalek Essaâdi, Tanger",
    ),
    InstructorData(
        "Rachid Aït Lahcen", "Ingénieur en vision par ordinateur", "Université Ibn Zohr, Agadir"
    ),
    InstructorData("Fatima-Zahra El Fassi", "Designer de services publics", "Jazari Root"),
    InstructorData(
        "Karim Benjelloun", "Fondateur de start-up et mentor", "Jazari Institute Casablanca"
    ),
    InstructorData(
        "Zineb Lahlou",
        "Cheffe de projet transformation numérique",
        "Jazari Institute Béni Mellal",
    ),
    InstructorData("Amine Tahiri", "Ingénieur MLOps", MISTRAL_LAB),
    InstructorData("Hajar Moussaoui", "Data scientist", "Université Cadi Ayyad, Marrakech"),
    InstructorData("Soufiane Kettani", "Expert en cybersécurité", "Jazari Institute Dakhla"),
    InstructorData("Leïla Saadi", "Ingénieure de recherche en TAL", MISTRAL_LAB),
    InstructorData("Claire Dubois", "Chercheuse en IA générative", MISTRAL_LAB),
    InstructorData("Thomas Keller", "Ingénieur données", "Consultant indépendant, Berlin"),
    InstructorData(
        "Aïcha Diallo", "Chercheuse en IA responsable", "Université Cheikh Anta Diop, Dakar"
    ),
    InstructorData("Marco Rossi", "Consultant MLOps", "Consultant indépendant, Milan"),
    InstructorData("Sarah Thompson", "Product manager IA", "Consultante indépendante, Londres"),
    InstructorData("Javier Morales", "Spécialiste en télédétection", "Consultant, Madrid"),
    InstructorData("Lina Haddad", "Chercheuse en reconnaissance de la parole", MISTRAL_LAB),
    InstructorData(
        "Ilyas Naciri",
        "Doctorant en apprentissage profond",
        "Université Mohammed VI Polytechnique, Benguérir",
    ),
    InstructorData("Samira Ouali", "Formatrice en culture numérique", "Jazari Institute Oujda"),
    InstructorData("Abdellah Zerouali", "Ingénieur géomatique", "Jazari Institute Laâyoune"),
    InstructorData("Houda Bakkali", "Consultante en commande publique", "Jazari Root"),
)

INSTRUCTOR_BIO = (
    "Profil fictif créé pour les données de démonstration de Jazari Skills : "
    "cette personne n'existe pas."
)


# Course templates ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CourseTemplate:
    """A hand-written course; `builder` derives numbered variants from it for large catalogues.

    `text_language` is the language the title, summary and outcomes are written in; the
    generated body uses the same language. `languages` are the teaching languages.
    """

    slug: str
    title: str
    format: CourseFormat
    level: CourseLevel
    text_language: str
    languages: tuple[str, ...]
    audiences: tuple[str, ...]
    institute: str
    skills: tuple[tuple[str, SkillLevel], ...]
    instructors: tuple[str, ...]
    duration_hours: int
    summary: str
    outcomes: tuple[str, ...]
    prerequisites: str = ""


F, L, S = CourseFormat, CourseLevel, SkillLevel

COURSE_TEMPLATES = (
    CourseTemplate(
        slug="ia-pour-tous",
        title="L'IA pour tous : comprendre et utiliser l'intelligence artificielle",
        format=F.COURSE,
        level=L.BEGINNER,
        text_language="fr",
        languages=("fr", "ar"),
        audiences=("everyone",),
        institute="jazari-root",
        skills=(
            ("comprendre-ia", S.FOUNDATION),
            ("culture-donnees", S.AWARENESS),
            ("ethique-ia", S.AWARENESS),
        ),
        instructors=("Salma Bennani", "Samira Ouali"),
        duration_hours=14,
        summary="Deux journées pour comprendre ce qu'est l'intelligence artificielle, essayer "
        "des outils grand public en confiance et savoir reconnaître leurs limites.",
        outcomes=(
            "Expliquer avec ses mots ce que fait un système d'IA.",
            "Utiliser un assistant conversationnel en vérifiant ses réponses.",
            "Repérer les risques pour la vie privée et les biais les plus courants.",
        ),
        prerequisites="<p>Aucun : savoir utiliser un navigateur suffit.</p>",
    ),
    CourseTemplate(
        slug="python-pour-la-donnee",
        title="Python pour l'analyse de données",
        format=F.COURSE,
        level=L.BEGINNER,
        text_language="fr",
        languages=("fr",),
        audiences=("students", "sme-staff"),
        institute="jazari-casablanca",
        skills=(
            ("programmation-python", S.INTERMEDIATE),
            ("visualisation-donnees", S.FOUNDATION),
            ("culture-donnees", S.FOUNDATION),
        ),
        instructors=("Mehdi Alaoui",),
        duration_hours=28,
        summary="Apprendre Python et pandas sur des données publiques marocaines : importer, "
        "nettoyer, croiser et représenter des données en quatre journées.",
        outcomes=(
            "Écrire un notebook Python lisible et reproductible.",
            "Nettoyer et croiser des tableaux avec pandas.",
            "Produire des graphiques clairs avec Matplotlib.",
            "Présenter une analyse à un public non spécialiste.",
        ),
        prerequisites="<p>Être à l'aise avec un tableur ; aucune programmation préalable.</p>",
    ),
    CourseTemplate(
        slug="codesign-guichet-augmente",
        title="Co-concevoir un guichet administratif augmenté par l'IA",
        format=F.CODESIGN,
        level=L.BEGINNER,
        text_language="fr",
        languages=("fr", "ar"),
        audiences=("public-servants", "everyone"),
        institute="jazari-beni-mellal",
        skills=(
            ("services-publics-numeriques", S.INTERMEDIATE),
            ("design-thinking", S.INTERMEDIATE),
            ("cas-usage-ia", S.FOUNDATION),
        ),
        instructors=("Zineb Lahlou", "Fatima-Zahra El Fassi"),
        duration_hours=14,
        summary="Agents, usagers et développeurs conçoivent ensemble, en deux journées, un "
        "guichet qui oriente les demandes et prépare les dossiers à l'aide de l'IA.",
        outcomes=(
            "Cartographier le parcours d'un usager au guichet.",
            "Prototyper un service sur papier puis sur écran.",
            "Tester le prototype avec de vrais usagers.",
        ),
    ),
    CourseTemplate(
        slug="bootcamp-apprentissage-profond",
        title="Bootcamp apprentissage profond",
        format=F.BOOTCAMP,
        level=L.ADVANCED,
        text_language="fr",
        languages=("fr", "en"),
        audiences=("students", "researchers", "startups"),
        institute="jazari-root",
        skills=(
            ("apprentissage-profond", S.ADVANCED),
            ("classification-images", S.INTERMEDIATE),
            ("mlops", S.FOUNDATION),
        ),
        instructors=("Youssef El Amrani", "Ilyas Naciri"),
        duration_hours=35,
        summary="Cinq jours intensifs sur les GPU du laboratoire : réseaux convolutifs, "
        "transformeurs, transfert d'apprentissage et un projet mené de bout en bout.",
        outcomes=(
            "Entraîner un réseau de neurones avec PyTorch sur GPU.",
            "Adapter un modèle pré-entraîné à un nouveau jeu de données.",
            "Présenter un projet évalué devant un jury.",
        ),
        prerequisites="<p>Avoir suivi un cours d'apprentissage automatique ou équivalent.</p>",
    ),
    CourseTemplate(
        slug="llm-rag-assistant-documentaire",
        title="LLM et RAG : construire un assistant documentaire",
        format=F.WORKSHOP,
        level=L.INTERMEDIATE,
        text_language="fr",
        languages=("fr",),
        audiences=("sme-staff", "startups"),
        institute="jazari-casablanca",
        skills=(
            ("rag", S.INTERMEDIATE),
            ("ingenierie-prompts", S.INTERMEDIATE),
            ("evaluation-llm", S.FOUNDATION),
        ),
        instructors=("Claire Dubois", "Mehdi Alaoui"),
        duration_hours=14,
        summary="Deux journées d'atelier pour relier un modèle de langage ouvert aux documents "
        "d'une entreprise, citer les sources et mesurer la qualité des réponses.",
        outcomes=(
            "Indexer une base documentaire dans une base vectorielle.",
            "Construire une chaîne RAG qui cite ses sources.",
            "Évaluer les réponses sur un jeu de questions de référence.",
        ),
        prerequisites="<p>Bases de Python.</p>",
    ),
    CourseTemplate(
        slug="ia-generative-administration",
        title="IA générative au service de l'administration",
        format=F.SEMINAR,
        level=L.BEGINNER,
        text_language="fr",
        languages=("fr", "ar"),
        audiences=("public-servants",),
        institute="jazari-root",
        skills=(
            ("ingenierie-prompts", S.FOUNDATION),
            ("services-publics-numeriques", S.FOUNDATION),
            ("protection-donnees", S.FOUNDATION),
        ),
        instructors=("Fatima-Zahra El Fassi", "Nadia Chraibi"),
        duration_hours=7,
        summary="Une journée de séminaire pour les agents publics : ce que l'IA générative "
        "change dans la rédaction, l'accueil des usagers et le traitement des dossiers.",
        outcomes=(
            "Identifier trois usages utiles de l'IA générative dans son service.",
            "Rédiger des consignes claires pour un assistant.",
            "Savoir quelles données ne jamais confier à un outil en ligne.",
        ),
    ),
    CourseTemplate(
        slug="tal-arabe-darija",
        title="معالجة اللغة العربية والدارجة بالذكاء الاصطناعي",
        format=F.COURSE,
        level=L.INTERMEDIATE,
        text_language="ar",
        languages=("ar", "fr"),
        audiences=("researchers", "students"),
        institute="jazari-tanger",
        skills=(
            ("tal-arabe", S.INTERMEDIATE),
            ("tal-darija", S.INTERMEDIATE),
            ("tal-fondamentaux", S.FOUNDATION),
        ),
        instructors=("Imane Idrissi", "Leïla Saadi"),
        duration_hours=28,
        summary="تكوين من أربعة أيام حول معالجة النصوص العربية والدارجة المغربية: التقطيع "
        "والتمثيلات الشعاعية وتصنيف النصوص وتكييف النماذج اللغوية.",
        outcomes=(
            "تحضير مدونة نصوص عربية ودارجة للتعلم الآلي.",
            "تدريب مصنف للنصوص وتقييم أدائه.",
            "تكييف نموذج لغوي مفتوح مع الدارجة المغربية.",
        ),
        prerequisites="<p>أساسيات لغة بايثون.</p>",
    ),
    CourseTemplate(
        slug="mabadi-ia-mowadafin",
        title="مبادئ الذكاء الاصطناعي للموظفين العموميين",
        format=F.WEBINAR,
        level=L.BEGINNER,
        text_language="ar",
        languages=("ar",),
        audiences=("public-servants",),
        institute="jazari-oujda",
        skills=(("comprendre-ia", S.AWARENESS), ("ethique-ia", S.AWARENESS)),
        instructors=("Samira Ouali",),
        duration_hours=2,
        summary="ندوة عبر الإنترنت لمدة ساعتين لفهم ما هو الذكاء الاصطناعي وكيف يمكن أن "
        "يساعد الإدارة في خدمة المواطنين.",
        outcomes=(
            "شرح المفاهيم الأساسية للذكاء الاصطناعي.",
            "التعرف على استعمالات ملموسة في الإدارة العمومية.",
            "معرفة المخاطر الأخلاقية الرئيسية.",
        ),
    ),
    CourseTemplate(
        slug="ia-rowad-aamal",
        title="الذكاء الاصطناعي لرواد الأعمال",
        format=F.WORKSHOP,
        level=L.BEGINNER,
        text_language="ar",
        languages=("ar", "fr"),
        audiences=("startups", "sme-staff"),
        institute="jazari-agadir",
        skills=(("cas-usage-ia", S.FOUNDATION), ("modele-economique", S.FOUNDATION)),
        instructors=("Karim Benjelloun", "Rachid Aït Lahcen"),
        duration_hours=7,
        summary="ورشة عملية ليوم واحد لتحديد فرص استعمال الذكاء الاصطناعي في مقاولة صغيرة "
        "أو ناشئة وتقدير كلفتها ومردوديتها.",
        outcomes=(
            "تحديد حالات استعمال واقعية للذكاء الاصطناعي في المقاولة.",
            "تقدير كلفة حل قائم على الذكاء الاصطناعي.",
            "إعداد خطة تجريبية لمدة ثلاثة أشهر.",
        ),
    ),
    CourseTemplate(
        slug="mlops-notebook-to-production",
        title="MLOps: from notebook to production",
        format=F.BOOTCAMP,
        level=L.ADVANCED,
        text_language="en",
        languages=("en", "fr"),
        audiences=("startups", "researchers"),
        institute="jazari-root",
        skills=(
            ("mlops", S.ADVANCED),
            ("conteneurs", S.INTERMEDIATE),
            ("deploiement-api", S.INTERMEDIATE),
            ("suivi-modeles", S.INTERMEDIATE),
        ),
        instructors=("Amine Tahiri", "Marco Rossi"),
        duration_hours=35,
        summary="A five-day bootcamp run with the Mistral AI lab: version data and models, "
        "automate training, serve a model behind an API and watch it in production.",
        outcomes=(
            "Package a training pipeline that anyone on the team can rerun.",
            "Deploy a model as a documented, monitored API.",
            "Detect data drift and roll back a faulty model.",
        ),
        prerequisites="<ul><li>Python</li><li>Git and the command line</li></ul>",
    ),
    CourseTemplate(
        slug="responsible-ai-for-researchers",
        title="Responsible AI for researchers",
        format=F.SEMINAR,
        level=L.INTERMEDIATE,
        text_language="en",
        languages=("en",),
        audiences=("researchers",),
        institute="jazari-marrakech",
        skills=(
            ("biais-equite", S.INTERMEDIATE),
            ("explicabilite", S.INTERMEDIATE),
            ("ethique-ia", S.INTERMEDIATE),
        ),
        instructors=("Aïcha Diallo", "Hajar Moussaoui"),
        duration_hours=7,
        summary="A one-day seminar on fairness, explainability and research ethics, with case "
        "studies from health, education and public services in Africa.",
        outcomes=(
            "Measure group fairness on a trained model.",
            "Explain a prediction with feature attributions.",
            "Write the ethics section of a research proposal.",
        ),
    ),
    CourseTemplate(
        slug="fine-tuning-open-weight-models",
        title="Fine-tuning open-weight language models",
        format=F.WORKSHOP,
        level=L.ADVANCED,
        text_language="en",
        languages=("en", "fr"),
        audiences=("researchers", "startups"),
        institute="jazari-root",
        skills=(
            ("fine-tuning-llm", S.ADVANCED),
            ("evaluation-llm", S.INTERMEDIATE),
            ("apprentissage-profond", S.INTERMEDIATE),
        ),
        instructors=("Claire Dubois", "Youssef El Amrani"),
        duration_hours=14,
        summary="Two days on the lab's GPUs to adapt an open-weight model to a domain or a "
        "language with LoRA, then compare it honestly with the base model.",
        outcomes=(
            "Build an instruction dataset from domain documents.",
            "Fine-tune a model with LoRA within a GPU budget.",
            "Evaluate the result against the base model.",
        ),
        prerequisites="<p>Experience training neural networks with PyTorch.</p>",
    ),
    CourseTemplate(
        slug="apprentissage-automatique-en-pratique",
        title="Apprentissage automatique en pratique",
        format=F.COURSE,
        level=L.INTERMEDIATE,
        text_language="fr",
        languages=("fr", "en"),
        audiences=("students", "researchers"),
        institute="jazari-fes",
        skills=(
            ("apprentissage-supervise", S.INTERMEDIATE),
            ("evaluation-modeles", S.INTERMEDIATE),
            ("apprentissage-non-supervise", S.FOUNDATION),
        ),
        instructors=("Hicham Ouazzani", "Hajar Moussaoui"),
        duration_hours=35,
        summary="Une semaine pour entraîner, comparer et évaluer des modèles avec scikit-learn, "
        "de la préparation des données à l'interprétation des erreurs.",
        outcomes=(
            "Choisir un modèle adapté à un problème de classification ou de régression.",
            "Valider un modèle sans fuite de données.",
            "Interpréter une matrice de confusion et des courbes d'apprentissage.",
        ),
        prerequisites="<ul><li>Python et pandas</li><li>Notions de statistiques</li></ul>",
    ),
    CourseTemplate(
        slug="codesign-agriculture-precision",
        title="Atelier de co-conception : l'IA pour l'agriculture des oasis",
        format=F.CODESIGN,
        level=L.INTERMEDIATE,
        text_language="fr",
        languages=("fr", "ar"),
        audiences=("sme-staff", "startups", "researchers"),
        institute="jazari-errachidia",
        skills=(
            ("imagerie-satellitaire", S.FOUNDATION),
            ("cas-usage-ia", S.INTERMEDIATE),
            ("design-thinking", S.FOUNDATION),
        ),
        instructors=("Javier Morales", "Abdellah Zerouali"),
        duration_hours=14,
        summary="Agriculteurs, coopératives et chercheurs imaginent ensemble des outils d'IA "
        "pour l'irrigation et la santé des palmiers dattiers.",
        outcomes=(
            "Formuler les besoins des exploitants en questions auxquelles la donnée répond.",
            "Évaluer ce que l'imagerie satellitaire peut montrer d'une palmeraie.",
            "Choisir un prototype à développer et ses indicateurs de réussite.",
        ),
    ),
    CourseTemplate(
        slug="vision-ordinateur-industrie",
        title="Vision par ordinateur pour l'industrie",
        format=F.COURSE,
        level=L.INTERMEDIATE,
        text_language="fr",
        languages=("fr",),
        audiences=("sme-staff", "students"),
        institute="jazari-tanger",
        skills=(
            ("detection-objets", S.INTERMEDIATE),
            ("classification-images", S.INTERMEDIATE),
            ("deploiement-api", S.FOUNDATION),
        ),
        instructors=("Rachid Aït Lahcen", "Ilyas Naciri"),
        duration_hours=28,
        summary="Contrôle qualité, comptage et sécurité sur une ligne de production : quatre "
        "journées pour passer de la caméra au modèle déployé.",
        outcomes=(
            "Annoter un jeu d'images industrielles.",
            "Entraîner un détecteur d'objets et mesurer ses performances.",
            "Déployer le détecteur sur un poste en bord de ligne.",
        ),
        prerequisites="<p>Python ; notions d'apprentissage automatique.</p>",
    ),
    CourseTemplate(
        slug="imagerie-satellitaire-eau",
        title="Imagerie satellitaire et suivi des ressources en eau",
        format=F.WORKSHOP,
        level=L.INTERMEDIATE,
        text_language="fr",
        languages=("fr", "en"),
        audiences=("researchers", "public-servants"),
        institute="jazari-laayoune",
        skills=(
            ("imagerie-satellitaire", S.INTERMEDIATE),
            ("series-temporelles", S.FOUNDATION),
            ("visualisation-donnees", S.FOUNDATION),
        ),
        instructors=("Javier Morales", "Abdellah Zerouali"),
        duration_hours=14,
        summary="Deux journées pour suivre retenues d'eau, nappes et couverture végétale avec "
        "les images Sentinel-2 librement disponibles.",
        outcomes=(
            "Télécharger et préparer des images Sentinel-2.",
            "Calculer des indices d'eau et de végétation.",
            "Suivre leur évolution sur plusieurs saisons.",
        ),
    ),
    CourseTemplate(
        slug="loi-09-08-et-ia",
        title="Protection des données personnelles et IA : la loi 09-08 en pratique",
        format=F.SEMINAR,
        level=L.BEGINNER,
        text_language="fr",
        languages=("fr", "ar"),
        audiences=("public-servants", "sme-staff"),
        institute="jazari-root",
        skills=(("protection-donnees", S.INTERMEDIATE), ("gouvernance-ia", S.FOUNDATION)),
        instructors=("Nadia Chraibi",),
        duration_hours=4,
        summary="Une demi-journée pour appliquer la loi 09-08 à un projet d'IA : bases légales, "
        "information des personnes, déclarations et sous-traitants.",
        outcomes=(
            "Identifier les traitements de données personnelles d'un projet.",
            "Savoir quand consulter la CNDP.",
            "Rédiger une mention d'information claire.",
        ),
    ),
    CourseTemplate(
        slug="ingenierie-des-donnees",
        title="Ingénierie des données : pipelines et qualité",
        format=F.COURSE,
        level=L.INTERMEDIATE,
        text_language="fr",
        languages=("fr",),
        audiences=("students", "sme-staff"),
        institute="jazari-casablanca",
        skills=(
            ("pipelines-donnees", S.INTERMEDIATE),
            ("sql-bases-donnees", S.INTERMEDIATE),
            ("qualite-donnees", S.INTERMEDIATE),
        ),
        instructors=("Mehdi Alaoui", "Thomas Keller"),
        duration_hours=35,
        summary="Une semaine pour concevoir des pipelines de données robustes : modélisation, "
        "orchestration, tests de qualité et documentation.",
        outcomes=(
            "Modéliser un entrepôt de données simple.",
            "Orchestrer un pipeline planifié et testé.",
            "Documenter les jeux de données pour leurs utilisateurs.",
        ),
        prerequisites="<ul><li>SQL</li><li>Python</li></ul>",
    ),
    CourseTemplate(
        slug="donnees-ouvertes-collectivites",
        title="Données ouvertes pour les collectivités territoriales",
        format=F.WORKSHOP,
        level=L.BEGINNER,
        text_language="fr",
        languages=("fr", "ar"),
        audiences=("public-servants",),
        institute="jazari-guelmim",
        skills=(
            ("donnees-ouvertes", S.FOUNDATION),
            ("qualite-donnees", S.FOUNDATION),
            ("visualisation-donnees", S.FOUNDATION),
        ),
        instructors=("Zineb Lahlou", "Thomas Keller"),
        duration_hours=7,
        summary="Une journée pour publier les données d'une commune ou d'une région dans des "
        "formats réutilisables et en tirer des tableaux de bord utiles aux élus.",
        outcomes=(
            "Choisir les jeux de données à ouvrir en priorité.",
            "Publier un jeu de données propre et documenté.",
            "Construire un tableau de bord simple.",
        ),
    ),
    CourseTemplate(
        slug="webinaire-ia-generative-pme",
        title="Webinaire : l'IA générative dans les PME, par où commencer ?",
        format=F.WEBINAR,
        level=L.BEGINNER,
        text_language="fr",
        languages=("fr",),
        audiences=("sme-staff", "everyone"),
        institute="jazari-marrakech",
        skills=(("cas-usage-ia", S.AWARENESS), ("ingenierie-prompts", S.AWARENESS)),
        instructors=("Sarah Thompson",),
        duration_hours=2,
        summary="Deux heures en ligne pour repérer des usages concrets de l'IA générative dans "
        "une petite entreprise, sans budget ni équipe technique.",
        outcomes=(
            "Citer des usages rentables de l'IA générative dans une PME.",
            "Éviter les erreurs les plus coûteuses.",
            "Lancer un premier essai dès la semaine suivante.",
        ),
    ),
    CourseTemplate(
        slug="webinaire-cybersecurite",
        title="Webinaire : cybersécurité et outils d'IA au bureau",
        format=F.WEBINAR,
        level=L.BEGINNER,
        text_language="fr",
        languages=("fr", "ar"),
        audiences=("everyone", "public-servants"),
        institute="jazari-dakhla",
        skills=(("cybersecurite-base", S.FOUNDATION), ("protection-donnees", S.AWARENESS)),
        instructors=("Soufiane Kettani",),
        duration_hours=1,
        summary="Une heure en ligne sur les bons réflexes : hameçonnage généré par IA, "
        "fausses voix, mots de passe et partage de documents.",
        outcomes=(
            "Reconnaître un message d'hameçonnage, même bien écrit.",
            "Protéger ses comptes avec une double authentification.",
            "Savoir qui prévenir en cas d'incident.",
        ),
    ),
    CourseTemplate(
        slug="webinar-open-weight-llms",
        title="Webinar: open-weight LLMs, where do we stand?",
        format=F.WEBINAR,
        level=L.INTERMEDIATE,
        text_language="en",
        languages=("en",),
        audiences=("researchers", "startups"),
        institute="jazari-root",
        skills=(("fine-tuning-llm", S.AWARENESS), ("evaluation-llm", S.FOUNDATION)),
        instructors=("Claire Dubois",),
        duration_hours=2,
        summary="Researchers from the Mistral AI lab review the state of open-weight language "
        "models, how to compare them and what they mean for Arabic and Darija.",
        outcomes=(
            "Compare open-weight models on public benchmarks.",
            "Understand licences and their consequences.",
            "Know where Arabic and Darija support stands.",
        ),
    ),
    CourseTemplate(
        slug="bootcamp-startup-produit-ia",
        title="De l'idée au produit IA : bootcamp start-up",
        format=F.BOOTCAMP,
        level=L.INTERMEDIATE,
        text_language="fr",
        languages=("fr", "en"),
        audiences=("startups",),
        institute="jazari-casablanca",
        skills=(
            ("product-management-ia", S.INTERMEDIATE),
            ("modele-economique", S.INTERMEDIATE),
            ("pitch-financement", S.INTERMEDIATE),
            ("cas-usage-ia", S.INTERMEDIATE),
        ),
        instructors=("Karim Benjelloun", "Sarah Thompson"),
        duration_hours=35,
        summary="Cinq jours pour transformer une idée fondée sur l'IA en offre testée auprès "
        "de clients, avec un modèle économique et un pitch devant des investisseurs.",
        outcomes=(
            "Valider un problème auprès de clients potentiels.",
            "Estimer le coût d'inférence et fixer un prix.",
            "Pitcher son projet en cinq minutes.",
        ),
    ),
    CourseTemplate(
        slug="agents-llm",
        title="Agents LLM : outils, orchestration et évaluation",
        format=F.WORKSHOP,
        level=L.ADVANCED,
        text_language="fr",
        languages=("fr", "en"),
        audiences=("researchers", "startups", "students"),
        institute="jazari-root",
        skills=(
            ("agents-llm", S.ADVANCED),
            ("rag", S.INTERMEDIATE),
            ("evaluation-llm", S.INTERMEDIATE),
        ),
        instructors=("Youssef El Amrani", "Leïla Saadi"),
        duration_hours=14,
        summary="Deux journées pour construire un agent qui appelle des outils, planifie et "
        "vérifie son travail, et pour l'évaluer sérieusement avant de le déployer.",
        outcomes=(
            "Donner des outils à un modèle de langage en toute sécurité.",
            "Concevoir une boucle de planification et de vérification.",
            "Évaluer un agent sur des tâches de bout en bout.",
        ),
        prerequisites="<p>Avoir déjà appelé un modèle de langage par API.</p>",
    ),
    CourseTemplate(
        slug="taarrof-kalam-darija",
        title="التعرف الآلي على الكلام بالدارجة المغربية",
        format=F.WORKSHOP,
        level=L.ADVANCED,
        text_language="ar",
        languages=("ar", "en"),
        audiences=("researchers",),
        institute="jazari-fes",
        skills=(("reconnaissance-parole", S.ADVANCED), ("tal-darija", S.INTERMEDIATE)),
        instructors=("Lina Haddad", "Imane Idrissi"),
        duration_hours=14,
        summary="ورشة من يومين لتكييف نموذج للتعرف على الكلام مع الدارجة المغربية وتقييمه "
        "على تسجيلات من مختلف الجهات.",
        outcomes=(
            "إعداد مدونة صوتية مع نصوصها.",
            "تكييف نموذج مفتوح للتعرف على الكلام.",
            "قياس نسبة الخطأ في الكلمات حسب الجهة.",
        ),
        prerequisites="<p>خبرة في التعلم العميق.</p>",
    ),
    CourseTemplate(
        slug="prevision-demande-energie",
        title="Prévision de la demande énergétique par séries temporelles",
        format=F.COURSE,
        level=L.ADVANCED,
        text_language="fr",
        languages=("fr", "en"),
        audiences=("researchers", "sme-staff"),
        institute="jazari-oujda",
        skills=(("series-temporelles", S.ADVANCED), ("apprentissage-supervise", S.INTERMEDIATE)),
        instructors=("Hicham Ouazzani", "Marco Rossi"),
        duration_hours=21,
        summary="Trois journées pour prévoir consommation et production solaire : modèles "
        "statistiques, gradient boosting et réseaux récurrents, comparés honnêtement.",
        outcomes=(
            "Préparer des séries temporelles avec leurs calendriers.",
            "Comparer plusieurs familles de modèles de prévision.",
            "Quantifier l'incertitude d'une prévision.",
        ),
        prerequisites="<p>Apprentissage supervisé et Python.</p>",
    ),
    CourseTemplate(
        slug="achat-public-solutions-ia",
        title="Acheter une solution d'IA : guide pour les acheteurs publics",
        format=F.SEMINAR,
        level=L.INTERMEDIATE,
        text_language="fr",
        languages=("fr",),
        audiences=("public-servants",),
        institute="jazari-root",
        skills=(("achats-publics-ia", S.INTERMEDIATE), ("gouvernance-ia", S.FOUNDATION)),
        instructors=("Houda Bakkali", "Nadia Chraibi"),
        duration_hours=7,
        summary="Une journée pour rédiger un cahier des charges d'IA, poser les bonnes "
        "questions aux fournisseurs et prévoir l'évaluation du système acheté.",
        outcomes=(
            "Exprimer un besoin en résultats mesurables.",
            "Exiger transparence, réversibilité et protection des données.",
            "Organiser une évaluation avant la mise en service.",
        ),
    ),
    CourseTemplate(
        slug="mathematiques-pour-ia",
        title="Mathématiques pour l'IA : remise à niveau",
        format=F.COURSE,
        level=L.BEGINNER,
        text_language="fr",
        languages=("fr", "ar"),
        audiences=("students",),
        institute="jazari-laayoune",
        skills=(("mathematiques-pour-ia", S.FOUNDATION), ("pensee-algorithmique", S.FOUNDATION)),
        instructors=("Khadija Tazi",),
        duration_hours=21,
        summary="Trois journées pour revoir vecteurs, matrices, probabilités et gradients, "
        "avec des exercices en Python plutôt que des démonstrations.",
        outcomes=(
            "Manipuler vecteurs et matrices avec NumPy.",
            "Raisonner sur des probabilités simples.",
            "Comprendre la descente de gradient.",
        ),
    ),
    CourseTemplate(
        slug="ocr-archives-administratives",
        title="Numériser et exploiter les archives administratives (OCR arabe et français)",
        format=F.WORKSHOP,
        level=L.INTERMEDIATE,
        text_language="fr",
        languages=("fr", "ar"),
        audiences=("public-servants", "researchers"),
        institute="jazari-marrakech",
        skills=(
            ("ocr-documents", S.INTERMEDIATE),
            ("automatisation-processus", S.FOUNDATION),
            ("tal-arabe", S.FOUNDATION),
        ),
        instructors=("Imane Idrissi", "Hajar Moussaoui"),
        duration_hours=14,
        summary="Deux journées pour transformer des registres scannés en arabe et en français "
        "en données consultables, de la numérisation à la recherche plein texte.",
        outcomes=(
            "Choisir un moteur d'OCR adapté à l'arabe manuscrit ou imprimé.",
            "Corriger et structurer le texte extrait.",
            "Rendre un fonds d'archives consultable.",
        ),
    ),
    CourseTemplate(
        slug="conduite-changement-service-public",
        title="Conduire le changement numérique dans un service public",
        format=F.SEMINAR,
        level=L.BEGINNER,
        text_language="fr",
        languages=("fr", "ar"),
        audiences=("public-servants",),
        institute="jazari-beni-mellal",
        skills=(
            ("conduite-changement", S.INTERMEDIATE),
            ("automatisation-processus", S.FOUNDATION),
        ),
        instructors=("Zineb Lahlou",),
        duration_hours=7,
        summary="Une journée pour préparer une équipe à un nouvel outil numérique : écouter, "
        "former, mesurer et ajuster sans laisser personne de côté.",
        outcomes=(
            "Cartographier les personnes concernées par un changement.",
            "Construire un plan de formation et de communication.",
            "Suivre l'adoption avec quelques indicateurs simples.",
        ),
    ),
    CourseTemplate(
        slug="cloud-fundamentals-data-teams",
        title="Cloud fundamentals for data teams",
        format=F.COURSE,
        level=L.BEGINNER,
        text_language="en",
        languages=("en", "fr"),
        audiences=("students", "sme-staff"),
        institute="jazari-agadir",
        skills=(("cloud-fondamentaux", S.FOUNDATION), ("conteneurs", S.FOUNDATION)),
        instructors=("Omar Berrada",),
        duration_hours=21,
        summary="Three days to understand compute, storage and networking in the cloud, "
        "run a data workload in containers and keep costs under control.",
        outcomes=(
            "Choose between virtual machines, containers and managed services.",
            "Run a data job in a container.",
            "Estimate and cap the monthly cost of a workload.",
        ),
    ),
    CourseTemplate(
        slug="tasmim-moshtarak-mosaid-dhaki",
        title="ورشة التصميم المشترك: مساعد ذكي لخدمة المواطنين",
        format=F.CODESIGN,
        level=L.BEGINNER,
        text_language="ar",
        languages=("ar",),
        audiences=("everyone", "public-servants"),
        institute="jazari-guelmim",
        skills=(
            ("design-thinking", S.FOUNDATION),
            ("services-publics-numeriques", S.FOUNDATION),
        ),
        instructors=("Fatima-Zahra El Fassi",),
        duration_hours=7,
        summary="يوم من التصميم المشترك يجمع المواطنين والموظفين لتصور مساعد ذكي يجيب عن "
        "أسئلة المرتفقين بالعربية والدارجة.",
        outcomes=(
            "تحديد الأسئلة الأكثر تكرارا لدى المرتفقين.",
            "رسم مسار المحادثة مع المساعد.",
            "اختبار نموذج أولي مع مستعملين حقيقيين.",
        ),
    ),
)


# People --------------------------------------------------------------------------------------

LEARNER_FIRST_NAMES = (
    "Yassine", "Salma", "Hamza", "Kawtar", "Anas", "Meryem", "Othmane", "Ghita", "Ayoub",
    "Nour", "Adam", "Imane", "Bilal", "Sara", "Zakaria", "Hiba", "Reda", "Oumaima", "Ilyas",
    "Chaimae", "Mohamed", "Fatima", "Said", "Rania",
)  # fmt: skip
LEARNER_LAST_NAMES = (
    "Alaoui", "Bennani", "Tazi", "Idrissi", "El Amrani", "Berrada", "Chraibi", "El Fassi",
    "Naciri", "Benjelloun", "Lahlou", "Kettani", "Ouazzani", "Sqalli", "Bouzidi", "El Mansouri",
    "Aït Ouarab", "Zniber", "Rami", "Ouahbi", "Amzil", "Boutaleb", "Haddou",
)  # fmt: skip


# Site pages ----------------------------------------------------------------------------------

HOME_HERO_TITLE = "Se former à l'intelligence artificielle, partout au Maroc"
HOME_HERO_TEXT = (
    "Cours, séminaires, ateliers, sessions de co-conception, bootcamps et webinaires du réseau "
    "des Jazari Institutes, dans les douze régions, en français, en arabe et en anglais. "
    f"{DEMO_NOTICE} : les formations, les dates et les intervenants présentés ici n'existent pas."
)
HOME_BODY = (
    "<p>Le réseau Jazari réunit <b>Jazari Root</b>, à Rabat, et un Jazari Institute dans "
    "chacune des autres régions du Maroc. Chaque institut propose des formations à "
    "l'intelligence artificielle et au numérique pour les étudiants, les agents publics, les "
    "salariés de PME, les fondateurs de start-up et les chercheurs.</p>"
    f"<p><i>{DEMO_NOTICE}.</i> Ce site de démonstration sert à essayer la plateforme ; "
    "aucune inscription n'engage qui que ce soit.</p>"
)


@dataclass(frozen=True)
class IndexPageData:
    slug: str
    title: str
    intro: str


CATALOGUE_PAGE = IndexPageData(
    "courses",
    "Catalogue des formations",
    "<p>Toutes les formations du réseau, en présentiel, en ligne ou hybrides. "
    f"<i>{DEMO_NOTICE}.</i></p>",
)
INSTITUTES_PAGE = IndexPageData(
    "institutes",
    "Le réseau Jazari",
    "<p>Jazari Root, à Rabat, fédère un Jazari Institute dans chacune des régions du Maroc. "
    f"<i>{DEMO_NOTICE}.</i></p>",
)
SKILLS_PAGE = IndexPageData(
    "skills",
    "Référentiel de compétences",
    "<p>Les compétences en IA, en données et en numérique que les formations du réseau "
    f"permettent d'acquérir, classées par domaine. <i>{DEMO_NOTICE}.</i></p>",
)


def institute_intro(institute: InstituteData) -> str:
    if institute.is_hub:
        return (
            "Le centre de ressources du réseau : il coordonne les instituts régionaux et "
            f"héberge un laboratoire de R&D mené avec Mistral AI. {DEMO_NOTICE}."
        )
    return (
        f"Le Jazari Institute de la région {institute.region.label}, à {institute.city} : "
        f"formations, ateliers et accompagnement de proximité. {DEMO_NOTICE}."
    )


def institute_body(institute: InstituteData) -> str:
    return (
        f"<p>{institute_intro(institute)}</p>"
        "<p>Les salles de formation accueillent jusqu'à quarante personnes et sont équipées "
        "pour les sessions hybrides. Les formations en ligne sont animées depuis l'institut.</p>"
    )
