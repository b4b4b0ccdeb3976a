"""The demo's content in Arabic and English: what `translations.py` writes as the translations
of the French originals of `data.py`, as an editor would in wagtail-localize's editor.

Keyed by the same stable keys as `data.py` (slugs), one entry per language. Like the French
text, every page and biography says it is demo data (`NOTICE`).
"""

from demo.data import DEMO_NOTICE

LANGUAGES = ("ar", "en")

NOTICE = {
    "ar": "بيانات تجريبية — وهمية",
    "en": "Demo data — fictional",
}
"""The demo label in each language; the French one (`DEMO_NOTICE`) stays beside it."""


def notice(language: str) -> str:
    return f"{NOTICE[language]} ({DEMO_NOTICE})"


# Site pages -----------------------------------------------------------------------------------

HOME = {
    "ar": {
        "title": "الرئيسية",
        "hero_title": "تكوّن في الذكاء الاصطناعي في كل مكان بالمغرب",
        "hero_text": "دورات وندوات وورشات وجلسات تصميم مشترك ومعسكرات تكوينية وندوات عبر "
        "الإنترنت من شبكة معاهد الجزري، في الجهات الاثنتي عشرة، بالعربية والفرنسية والإنجليزية. "
        f"{notice('ar')}: التكوينات والمواعيد والمؤطرون المعروضون هنا غير حقيقيين.",
        "body": "<p>تجمع شبكة الجزري <b>الجزري روت</b> بالرباط ومعهدا للجزري في كل جهة من "
        "جهات المغرب الأخرى. يقدم كل معهد تكوينات في الذكاء الاصطناعي والرقمنة للطلبة "
        "والموظفين العموميين وأجراء المقاولات الصغرى والمتوسطة ومؤسسي الشركات الناشئة "
        "والباحثين.</p>"
        f"<p><i>{notice('ar')}.</i> هذا الموقع التجريبي مخصص لتجربة المنصة؛ "
        "لا يلزم أي تسجيل فيه أحدا.</p>",
    },
    "en": {
        "title": "Home",
        "hero_title": "Learn artificial intelligence, anywhere in Morocco",
        "hero_text": "Courses, seminars, workshops, co-design sessions, bootcamps and webinars "
        "from the network of Jazari Institutes, in all twelve regions, in French, Arabic and "
        f"English. {notice('en')}: the courses, dates and speakers shown here do not exist.",
        "body": "<p>The Jazari network brings together <b>Jazari Root</b>, in Rabat, and a "
        "Jazari Institute in each of Morocco's other regions. Each institute offers training "
        "in artificial intelligence and digital skills for students, public servants, SME "
        "staff, start-up founders and researchers.</p>"
        f"<p><i>{notice('en')}.</i> This demo site is for trying the platform out; no "
        "enrolment commits anyone.</p>",
    },
}

INDEX_PAGES = {
    "courses": {
        "ar": ("دليل التكوينات", "جميع تكوينات الشبكة، حضوريا أو عن بعد أو بشكل مختلط."),
        "en": ("Course catalogue", "All the network's courses, in person, online or hybrid."),
    },
    "institutes": {
        "ar": ("شبكة الجزري", "يجمع الجزري روت بالرباط معهدا للجزري في كل جهة من جهات المغرب."),
        "en": (
            "The Jazari network",
            "Jazari Root, in Rabat, federates a Jazari Institute in each of Morocco's regions.",
        ),
    },
    "skills": {
        "ar": (
            "إطار الكفاءات",
            "كفاءات الذكاء الاصطناعي والبيانات والرقمنة التي تتيح تكوينات الشبكة اكتسابها، "
            "مصنفة حسب المجال.",
        ),
        "en": (
            "Skills framework",
            "The AI, data and digital skills the network's courses teach, grouped by field.",
        ),
    },
    "paths": {
        "ar": (
            "مسارات التكوين",
            "تكوينات متسلسلة في ترتيب مدروس للتهيؤ لمهنة أو دور. تابع مسارا لترى تقدمك.",
        ),
        "en": (
            "Learning paths",
            "Courses in a thought-out order to prepare for a job or a role. Follow a path to "
            "see your progress.",
        ),
    },
}


def index_intro(slug: str, language: str) -> str:
    return f"<p>{INDEX_PAGES[slug][language][1]} <i>{notice(language)}.</i></p>"


# The network ----------------------------------------------------------------------------------

CITIES = {
    "Rabat": ("الرباط", "Rabat"),
    "Tanger": ("طنجة", "Tangier"),
    "Oujda": ("وجدة", "Oujda"),
    "Fès": ("فاس", "Fez"),
    "Béni Mellal": ("بني ملال", "Beni Mellal"),
    "Casablanca": ("الدار البيضاء", "Casablanca"),
    "Marrakech": ("مراكش", "Marrakesh"),
    "Errachidia": ("الرشيدية", "Errachidia"),
    "Agadir": ("أكادير", "Agadir"),
    "Guelmim": ("كلميم", "Guelmim"),
    "Laâyoune": ("العيون", "Laayoune"),
    "Dakhla": ("الداخلة", "Dakhla"),
}


def city(name: str, language: str) -> str:
    return CITIES[name][LANGUAGES.index(language)]


def institute_title(title: str, city_name: str, language: str) -> str:
    if title == "Jazari Root":
        return "الجزري روت" if language == "ar" else title
    return (
        f"معهد الجزري {city(city_name, 'ar')}"
        if language == "ar"
        else (f"Jazari Institute {city(city_name, 'en')}")
    )


def institute_intro(is_hub: bool, region: str, city_name: str, language: str) -> str:
    town = city(city_name, language)
    if language == "ar":
        if is_hub:
            return (
                "مركز موارد الشبكة: ينسق المعاهد الجهوية ويحتضن مختبرا للبحث والتطوير يدار "
                f"مع ميسترال للذكاء الاصطناعي. {notice('ar')}."
            )
        return (
            f"معهد الجزري لجهة {region} بمدينة {town}: تكوينات وورشات ومواكبة عن قرب. "
            f"{notice('ar')}."
        )
    if is_hub:
        return (
            "The network's resource centre: it coordinates the regional institutes and hosts "
            f"an R&D lab run with Mistral AI. {notice('en')}."
        )
    return (
        f"The Jazari Institute of the {region} region, in {town}: courses, workshops and "
        f"support close to home. {notice('en')}."
    )


INSTITUTE_BODY_TAIL = {
    "ar": "<p>تستقبل قاعات التكوين ما يصل إلى أربعين شخصا وهي مجهزة للدورات المختلطة. "
    "وتنشط التكوينات عن بعد من المعهد.</p>",
    "en": "<p>The training rooms seat up to forty people and are equipped for hybrid "
    "sessions. Online courses are run from the institute.</p>",
}

SIGNATORY_ROLES = {
    "Directeur de l'institut": ("مدير المعهد", "Director of the institute"),
    "Directrice de l'institut": ("مديرة المعهد", "Director of the institute"),
    "Directrice de Jazari Root": ("مديرة الجزري روت", "Director of Jazari Root"),
}


# Audiences and the skills framework -----------------------------------------------------------

AUDIENCES = {
    "students": ("الطلبة", "Students"),
    "public-servants": ("الموظفون العموميون", "Public servants"),
    "sme-staff": ("أجراء المقاولات الصغرى والمتوسطة", "SME staff"),
    "startups": ("الشركات الناشئة", "Start-ups"),
    "researchers": ("الباحثون", "Researchers"),
    "everyone": ("عموم الناس", "Everyone"),
}

CATEGORIES = {
    "fondamentaux-ia": (
        ("أساسيات الذكاء الاصطناعي", "المفاهيم والأدوات الأساسية لفهم الذكاء الاصطناعي وممارسته."),
        ("AI fundamentals", "The basic notions and tools to understand and practise AI."),
    ),
    "apprentissage-automatique": (
        ("التعلم الآلي", "تدريب النماذج وتقييمها وتحسينها انطلاقا من البيانات."),
        ("Machine learning", "Train, evaluate and improve models from data."),
    ),
    "ia-generative-llm": (
        (
            "الذكاء الاصطناعي التوليدي والنماذج اللغوية الكبيرة",
            "استعمال النماذج اللغوية الكبيرة والنماذج التوليدية وتكييفها وتقييمها.",
        ),
        (
            "Generative AI and LLMs",
            "Use, adapt and evaluate large language models and generative models.",
        ),
    ),
    "donnees-ingenierie": (
        ("البيانات وهندستها", "جمع بيانات موثوقة وتخزينها وتحويلها وتقاسمها."),
        ("Data and data engineering", "Collect, store, transform and share reliable data."),
    ),
    "vision-ordinateur": (
        ("الرؤية الحاسوبية", "جعل الآلة تفهم الصور ومقاطع الفيديو."),
        ("Computer vision", "Make a machine understand images and video."),
    ),
    "traitement-langues": (
        (
            "المعالجة الآلية للغات",
            "تحليل النصوص والكلام وترجمتها وإنتاجها، بما في ذلك العربية والدارجة.",
        ),
        (
            "Natural language processing",
            "Analyse, translate and produce text and speech, Arabic and Darija included.",
        ),
    ),
    "ia-responsable": (
        (
            "الذكاء الاصطناعي المسؤول والأخلاقيات والقانون",
            "تصميم أنظمة ذكاء اصطناعي جديرة بالثقة ومطابقة للقانون ونشرها.",
        ),
        (
            "Responsible AI, ethics and law",
            "Design and deploy trustworthy AI systems that comply with the law.",
        ),
    ),
    "administration-numerique": (
        (
            "التحول الرقمي للإدارة",
            "تحديث المرافق العمومية بالرقمنة والذكاء الاصطناعي لخدمة المرتفقين.",
        ),
        (
            "Digital transformation of government",
            "Modernise public services with digital tools and AI, for the people they serve.",
        ),
    ),
    "cloud-mlops": (
        ("الحوسبة السحابية وMLOps", "وضع النماذج في الإنتاج وتشغيلها بشكل موثوق."),
        ("Cloud and MLOps", "Put models into production and keep them running reliably."),
    ),
    "entrepreneuriat-produit": (
        (
            "ريادة الأعمال ومنتجات الذكاء الاصطناعي",
            "تحويل فكرة قائمة على الذكاء الاصطناعي إلى منتج مفيد ومقاولة قابلة للاستمرار.",
        ),
        (
            "Entrepreneurship and AI products",
            "Turn an AI-based idea into a useful product and a viable company.",
        ),
    ),
}

SKILLS = {
    "comprendre-ia": (
        (
            "فهم الذكاء الاصطناعي",
            "شرح ما تقوم به أنظمة الذكاء الاصطناعي وحدودها واستعمالاتها الشائعة.",
        ),
        ("Understanding AI", "Explain what AI systems do, their limits and their common uses."),
    ),
    "mathematiques-pour-ia": (
        ("الرياضيات للذكاء الاصطناعي", "الجبر الخطي والاحتمالات والتحسين المفيدة للتعلم الآلي."),
        (
            "Mathematics for AI",
            "Linear algebra, probability and optimisation for machine learning.",
        ),
    ),
    "programmation-python": (
        ("البرمجة بلغة بايثون للبيانات", "كتابة سكريبتات ودفاتر بايثون باستعمال pandas وNumPy."),
        (
            "Python programming for data",
            "Write Python scripts and notebooks with pandas and NumPy.",
        ),
    ),
    "pensee-algorithmique": (
        ("التفكير الخوارزمي", "تفكيك مشكلة إلى خطوات والتفكير في تعقيد الحل."),
        (
            "Algorithmic thinking",
            "Break a problem into steps and reason about a solution's complexity.",
        ),
    ),
    "culture-donnees": (
        ("الثقافة البيانية", "قراءة مجموعة بيانات وطرح الأسئلة الصحيحة والحذر من الأرقام المضللة."),
        (
            "Data literacy",
            "Read a dataset, ask the right questions and beware of misleading figures.",
        ),
    ),
    "apprentissage-supervise": (
        ("التعلم الخاضع للإشراف", "الانحدار والتصنيف: اختيار نموذج وتدريبه وضبطه."),
        ("Supervised learning", "Regression and classification: choose, train and tune a model."),
    ),
    "apprentissage-non-supervise": (
        ("التعلم غير الخاضع للإشراف", "التجميع وتقليص الأبعاد وكشف الحالات الشاذة."),
        ("Unsupervised learning", "Clustering, dimensionality reduction and anomaly detection."),
    ),
    "evaluation-modeles": (
        ("تقييم النماذج والتحقق منها", "اختيار المقاييس والتحقق دون تسرب البيانات وتفسير الأخطاء."),
        (
            "Model evaluation and validation",
            "Choose metrics, validate without data leakage and interpret errors.",
        ),
    ),
    "apprentissage-profond": (
        ("التعلم العميق", "الشبكات العصبية والتدريب على وحدات GPU ونقل التعلم."),
        ("Deep learning", "Neural networks, GPU training and transfer learning."),
    ),
    "series-temporelles": (
        ("التنبؤ بالسلاسل الزمنية", "نمذجة المقادير التي تتطور مع الزمن والتنبؤ بها."),
        ("Time series forecasting", "Model and forecast quantities that change over time."),
    ),
    "ingenierie-prompts": (
        ("هندسة الأوامر", "صياغة تعليمات موثوقة وقابلة للتكرار لنموذج لغوي."),
        (
            "Prompt engineering",
            "Write reliable, reproducible instructions for a language model.",
        ),
    ),
    "rag": (
        ("التوليد المعزز بالاسترجاع (RAG)", "ربط نموذج لغوي بقاعدة وثائق والاستشهاد بمصادره."),
        (
            "Retrieval-augmented generation (RAG)",
            "Connect a language model to a document base and cite its sources.",
        ),
    ),
    "fine-tuning-llm": (
        ("الضبط الدقيق للنماذج اللغوية", "تخصيص نموذج مفتوح لمجال أو لغة انطلاقا من أمثلة."),
        (
            "Fine-tuning language models",
            "Specialise an open model for a field or a language from examples.",
        ),
    ),
    "agents-llm": (
        ("الوكلاء وأدوات النماذج اللغوية", "تنسيق نموذج يستدعي أدوات ويخطط ويتحقق من عمله."),
        (
            "LLM agents and tools",
            "Orchestrate a model that calls tools, plans and checks its work.",
        ),
    ),
    "evaluation-llm": (
        ("تقييم النماذج التوليدية", "بناء مجموعات اختبار وقياس الجودة والمتانة والهلوسة."),
        (
            "Evaluating generative models",
            "Build test sets and measure quality, robustness and hallucinations.",
        ),
    ),
    "sql-bases-donnees": (
        ("SQL وقواعد البيانات", "استعلام قاعدة بيانات علائقية ونمذجتها."),
        ("SQL and databases", "Query and model a relational database."),
    ),
    "pipelines-donnees": (
        ("مسارات البيانات (ETL/ELT)", "أتمتة استخراج البيانات وتحويلها وتحميلها."),
        ("Data pipelines (ETL/ELT)", "Automate extracting, transforming and loading data."),
    ),
    "qualite-donnees": (
        ("جودة البيانات وحوكمتها", "قياس الجودة وتحسينها وتوثيق مصدر البيانات واستعمالاتها."),
        (
            "Data quality and governance",
            "Measure and improve quality, document where data comes from and how it is used.",
        ),
    ),
    "visualisation-donnees": (
        ("تصوير البيانات", "تصميم رسوم بيانية ولوحات قيادة واضحة وأمينة."),
        ("Data visualisation", "Design clear and honest charts and dashboards."),
    ),
    "donnees-ouvertes": (
        (
            "البيانات المفتوحة وقابلية التشغيل البيني",
            "نشر البيانات المفتوحة وإعادة استعمالها وفق صيغ معيارية.",
        ),
        (
            "Open data and interoperability",
            "Publish and reuse open data in standard formats.",
        ),
    ),
    "classification-images": (
        ("تصنيف الصور", "التعرف على محتوى صورة بشبكة التفافية أو بمحول."),
        (
            "Image classification",
            "Recognise what an image shows with a convolutional network or a transformer.",
        ),
    ),
    "detection-objets": (
        ("كشف الأجسام", "تحديد مواقع الأجسام وعدها في الصور أو مقاطع الفيديو."),
        ("Object detection", "Locate and count objects in images or video streams."),
    ),
    "imagerie-satellitaire": (
        (
            "تحليل صور الأقمار الاصطناعية",
            "استغلال صور Sentinel أو Landsat لتتبع المزروعات والمياه والمجال.",
        ),
        (
            "Satellite image analysis",
            "Use Sentinel or Landsat images to follow crops, water and land.",
        ),
    ),
    "ocr-documents": (
        ("التعرف على الوثائق (OCR)", "استخراج نص الوثائق الممسوحة وبنيتها بالعربية والفرنسية."),
        (
            "Document recognition (OCR)",
            "Extract the text and structure of scanned documents in Arabic and French.",
        ),
    ),
    "tal-fondamentaux": (
        ("أساسيات معالجة اللغة", "التقطيع والتمثيلات الشعاعية وتصنيف النصوص."),
        ("NLP fundamentals", "Tokenisation, vector representations and text classification."),
    ),
    "tal-arabe": (
        ("معالجة اللغة العربية الفصحى", "معالجة الصرف الغني وكتابة العربية الفصحى المعاصرة."),
        (
            "NLP for Modern Standard Arabic",
            "Handle the rich morphology and script of Modern Standard Arabic.",
        ),
    ),
    "tal-darija": (
        (
            "معالجة الدارجة",
            "معالجة الدارجة المغربية المكتوبة بالحرف العربي أو اللاتيني (العربيزي).",
        ),
        (
            "NLP for Darija",
            "Process Moroccan Arabic written in Arabic or Latin script (Arabizi).",
        ),
    ),
    "traduction-automatique": (
        ("الترجمة الآلية", "تدريب أنظمة الترجمة بين العربية والفرنسية والإنجليزية وتقييمها."),
        (
            "Machine translation",
            "Train and evaluate translation systems between Arabic, French and English.",
        ),
    ),
    "reconnaissance-parole": (
        ("التعرف على الكلام", "تفريغ الكلام، بما في ذلك الدارجة واللغات الأمازيغية."),
        ("Speech recognition", "Transcribe speech, Darija and the Amazigh languages included."),
    ),
    "ethique-ia": (
        ("أخلاقيات الذكاء الاصطناعي", "تحديد الرهانات الأخلاقية لمشروع والموازنة بين المخاطر."),
        ("AI ethics", "Identify a project's ethical stakes and weigh the risks."),
    ),
    "protection-donnees": (
        (
            "حماية المعطيات الشخصية (القانون 09-08)",
            "تطبيق القانون 09-08 وتوصيات اللجنة الوطنية على مشروع ذكاء اصطناعي.",
        ),
        (
            "Personal data protection (law 09-08)",
            "Apply law 09-08 and the CNDP's recommendations to an AI project.",
        ),
    ),
    "biais-equite": (
        ("تحيز الخوارزميات وإنصافها", "كشف تحيزات نموذج وقياسها والحد منها."),
        ("Algorithmic bias and fairness", "Detect, measure and reduce a model's biases."),
    ),
    "explicabilite": (
        ("قابلية تفسير النماذج", "شرح قرار نموذج لمرتفق أو لمدقق."),
        ("Model explainability", "Explain a model's decision to a citizen or an auditor."),
    ),
    "gouvernance-ia": (
        ("حوكمة الذكاء الاصطناعي والامتثال", "وضع السجلات وتحليلات الأثر والرقابة البشرية."),
        (
            "AI governance and compliance",
            "Set up registers, impact assessments and human oversight.",
        ),
    ),
    "services-publics-numeriques": (
        (
            "تصميم المرافق العمومية الرقمية",
            "الانطلاق من حاجات المرتفقين لتصميم خدمة إلكترونية بسيطة.",
        ),
        (
            "Designing digital public services",
            "Start from people's needs to design a simple online service.",
        ),
    ),
    "conduite-changement": (
        ("قيادة التغيير الرقمي", "مواكبة الفرق والمرتفقين أثناء التحول."),
        ("Leading digital change", "Support teams and users through a transformation."),
    ),
    "achats-publics-ia": (
        (
            "الشراء العمومي لحلول الذكاء الاصطناعي",
            "تحرير دفتر تحملات وتقييم عروض حلول الذكاء الاصطناعي.",
        ),
        (
            "Public procurement of AI solutions",
            "Write a specification and assess bids for AI solutions.",
        ),
    ),
    "automatisation-processus": (
        ("أتمتة المساطر الإدارية", "تحديد المهام المتكررة وأتمتتها دون فقدان السيطرة."),
        (
            "Automating administrative processes",
            "Spot repetitive tasks and automate them without losing control.",
        ),
    ),
    "cybersecurite-base": (
        ("النظافة السيبرانية", "اكتساب ردود الفعل الصحيحة أمام التصيد وحماية الحسابات."),
        ("Cyber hygiene", "Learn the right reflexes against phishing and protect your accounts."),
    ),
    "cloud-fondamentaux": (
        ("أساسيات الحوسبة السحابية", "الحوسبة والتخزين والشبكات في السحابة، التكاليف والسيادة."),
        (
            "Cloud fundamentals",
            "Compute, storage and networking in the cloud, costs and sovereignty.",
        ),
    ),
    "conteneurs": (
        ("الحاويات والتنسيق", "تعليب تطبيق بـDocker ونشره على Kubernetes."),
        (
            "Containers and orchestration",
            "Package an application with Docker and deploy it on Kubernetes.",
        ),
    ),
    "mlops": (
        ("تصنيع النماذج (MLOps)", "إدارة إصدارات البيانات والنماذج وأتمتة التدريب والنشر."),
        (
            "Industrialising models (MLOps)",
            "Version data and models, automate training and deployment.",
        ),
    ),
    "deploiement-api": (
        ("نشر النماذج عبر واجهة برمجية", "تقديم نموذج خلف واجهة برمجية موثقة وآمنة ومقيسة."),
        (
            "Deploying models as APIs",
            "Serve a model behind a documented, secure and measured API.",
        ),
    ),
    "suivi-modeles": (
        ("مراقبة النماذج في الإنتاج", "مراقبة انحراف البيانات وجودة التنبؤات."),
        (
            "Monitoring models in production",
            "Watch for data drift and the quality of predictions.",
        ),
    ),
    "product-management-ia": (
        (
            "إدارة منتجات الذكاء الاصطناعي",
            "تحديد القيمة وترتيب الأولويات وقياس منتج يتضمن الذكاء الاصطناعي.",
        ),
        (
            "AI product management",
            "Define the value, prioritise and measure a product that embeds AI.",
        ),
    ),
    "modele-economique": (
        (
            "النموذج الاقتصادي لشركة ناشئة في الذكاء الاصطناعي",
            "تقدير تكاليف الاستدلال والسعر والسوق لعرض قائم على الذكاء الاصطناعي.",
        ),
        (
            "Business model of an AI start-up",
            "Estimate inference costs, pricing and market for an AI-based offer.",
        ),
    ),
    "design-thinking": (
        ("التفكير التصميمي والتصميم المشترك", "تنشيط ورشات مع المرتفقين والمهنيين للتصميم معا."),
        (
            "Design thinking and co-design",
            "Run workshops with users and staff to design together.",
        ),
    ),
    "pitch-financement": (
        ("العرض وجمع التمويل", "تقديم مشروع للمستثمرين ولبرامج الدعم."),
        ("Pitching and fundraising", "Present a project to investors and support programmes."),
    ),
    "cas-usage-ia": (
        (
            "تحديد حالات استعمال الذكاء الاصطناعي",
            "رصد المواضع التي يضيف فيها الذكاء الاصطناعي قيمة حقيقية داخل مؤسسة.",
        ),
        (
            "Finding AI use cases",
            "Spot where AI really adds something in an organisation.",
        ),
    ),
}


# Learning paths -------------------------------------------------------------------------------

PATHS = {
    "ia-administration-publique": {
        "ar": (
            "الذكاء الاصطناعي للإدارة العمومية",
            "موظف عمومي مرجعي في الذكاء الاصطناعي",
            "من الثقافة العامة للذكاء الاصطناعي إلى الشراء وقيادة مشروع: مسار الموظفين الذين "
            "يحملون الذكاء الاصطناعي في إداراتهم.",
        ),
        "en": (
            "AI for public administration",
            "Public servant leading on AI",
            "From general AI literacy to buying and running a project: the path for public "
            "servants who carry AI in their administration.",
        ),
    },
    "data-analyst": {
        "ar": (
            "محلل بيانات",
            "محلل بيانات",
            "بايثون والتعلم الآلي وهندسة البيانات: الأسس التقنية لتحويل البيانات إلى قرارات.",
        ),
        "en": (
            "Data analyst",
            "Data analyst",
            "Python, machine learning and data engineering: the technical basics to turn data "
            "into decisions.",
        ),
    },
    "ia-et-pme": {
        "ar": (
            "الذكاء الاصطناعي والمقاولات الصغرى والمتوسطة",
            "مرجع الذكاء الاصطناعي في مقاولة صغرى أو متوسطة",
            "رصد الاستعمالات المفيدة لمقاولة صغيرة وتجربتها دون مخاطرة وإطلاق منتج أول.",
        ),
        "en": (
            "AI and SMEs",
            "AI lead in an SME",
            "Spot the uses that help a small business, try them safely and launch a first product.",
        ),
    },
    "ingenierie-ia-generative": {
        "ar": (
            "هندسة الذكاء الاصطناعي التوليدي",
            "مهندس(ة) نماذج لغوية كبيرة",
            "بناء تطبيقات قائمة على نماذج لغوية مفتوحة وتكييفها ووضعها في الإنتاج.",
        ),
        "en": (
            "Generative AI engineering",
            "LLM engineer",
            "Build, adapt and put into production applications based on open language models.",
        ),
    },
}


# Courses --------------------------------------------------------------------------------------

COURSES = {
    "ia-pour-tous": {
        "ar": (
            "الذكاء الاصطناعي للجميع: فهم الذكاء الاصطناعي واستعماله",
            "يومان لفهم ماهية الذكاء الاصطناعي وتجربة أدوات موجهة للعموم بثقة ومعرفة حدودها.",
            (
                "شرح ما يقوم به نظام للذكاء الاصطناعي بكلماتك الخاصة.",
                "استعمال مساعد محادثة مع التحقق من أجوبته.",
                "رصد أكثر المخاطر شيوعا على الحياة الخاصة والتحيزات.",
            ),
        ),
        "en": (
            "AI for everyone: understanding and using artificial intelligence",
            "Two days to understand what artificial intelligence is, try consumer tools with "
            "confidence and recognise their limits.",
            (
                "Explain in your own words what an AI system does.",
                "Use a chat assistant while checking its answers.",
                "Spot the most common privacy risks and biases.",
            ),
        ),
    },
    "bootcamp-apprentissage-profond": {
        "ar": (
            "معسكر تكويني في التعلم العميق",
            "خمسة أيام مكثفة على وحدات GPU بالمختبر: الشبكات الالتفافية والمحولات ونقل التعلم "
            "ومشروع من البداية إلى النهاية.",
            (
                "تدريب شبكة عصبية بـPyTorch على وحدة GPU.",
                "تكييف نموذج مدرب مسبقا مع مجموعة بيانات جديدة.",
                "تقديم مشروع مقيم أمام لجنة.",
            ),
        ),
        "en": (
            "Deep learning bootcamp",
            "Five intensive days on the lab's GPUs: convolutional networks, transformers, "
            "transfer learning and a project carried through from start to finish.",
            (
                "Train a neural network with PyTorch on a GPU.",
                "Adapt a pre-trained model to a new dataset.",
                "Present an assessed project to a panel.",
            ),
        ),
    },
    "tal-arabe-darija": {
        "en": (
            "Processing Arabic and Darija with AI",
            "A four-day course on processing Arabic and Moroccan Darija text: tokenisation, "
            "vector representations, text classification and adapting language models.",
            (
                "Prepare a corpus of Arabic and Darija text for machine learning.",
                "Train a text classifier and evaluate it.",
                "Adapt an open language model to Moroccan Darija.",
            ),
        ),
    },
    "mlops-notebook-to-production": {
        "ar": (
            "MLOps: من الدفتر إلى الإنتاج",
            "معسكر تكويني من خمسة أيام بشراكة مع مختبر ميسترال: إدارة إصدارات البيانات "
            "والنماذج وأتمتة التدريب وتقديم نموذج عبر واجهة برمجية ومراقبته في الإنتاج.",
            (
                "تعليب مسار تدريب يمكن لأي عضو في الفريق إعادة تشغيله.",
                "نشر نموذج كواجهة برمجية موثقة ومراقبة.",
                "كشف انحراف البيانات والتراجع عن نموذج معيب.",
            ),
        ),
    },
    "apprentissage-automatique-en-pratique": {
        "ar": (
            "التعلم الآلي في الممارسة",
            "أسبوع لتدريب النماذج ومقارنتها وتقييمها باستعمال scikit-learn، من إعداد البيانات "
            "إلى تفسير الأخطاء.",
            (
                "اختيار نموذج ملائم لمشكلة تصنيف أو انحدار.",
                "التحقق من نموذج دون تسرب البيانات.",
                "تفسير مصفوفة الالتباس ومنحنيات التعلم.",
            ),
        ),
        "en": (
            "Machine learning in practice",
            "A week to train, compare and evaluate models with scikit-learn, from preparing "
            "the data to interpreting the errors.",
            (
                "Choose a model suited to a classification or regression problem.",
                "Validate a model without data leakage.",
                "Interpret a confusion matrix and learning curves.",
            ),
        ),
    },
    "imagerie-satellitaire-eau": {
        "ar": (
            "صور الأقمار الاصطناعية وتتبع الموارد المائية",
            "يومان لتتبع حقينة السدود والفرشات المائية والغطاء النباتي بصور Sentinel-2 المتاحة "
            "مجانا.",
            (
                "تنزيل صور Sentinel-2 وإعدادها.",
                "حساب مؤشرات الماء والغطاء النباتي.",
                "تتبع تطورها على عدة مواسم.",
            ),
        ),
        "en": (
            "Satellite imagery and water resources monitoring",
            "Two days to follow reservoirs, groundwater and plant cover with freely available "
            "Sentinel-2 images.",
            (
                "Download and prepare Sentinel-2 images.",
                "Compute water and vegetation indices.",
                "Follow how they change over several seasons.",
            ),
        ),
    },
    "donnees-ouvertes-collectivites": {
        "ar": (
            "البيانات المفتوحة للجماعات الترابية",
            "يوم لنشر بيانات جماعة أو جهة في صيغ قابلة لإعادة الاستعمال واستخلاص لوحات قيادة "
            "مفيدة للمنتخبين.",
            (
                "اختيار مجموعات البيانات ذات الأولوية في الفتح.",
                "نشر مجموعة بيانات نظيفة وموثقة.",
                "بناء لوحة قيادة بسيطة.",
            ),
        ),
        "en": (
            "Open data for local authorities",
            "One day to publish a municipality's or a region's data in reusable formats and "
            "build dashboards that help elected officials.",
            (
                "Choose which datasets to open first.",
                "Publish a clean, documented dataset.",
                "Build a simple dashboard.",
            ),
        ),
    },
    "webinar-open-weight-llms": {
        "ar": (
            "ندوة عبر الإنترنت: النماذج اللغوية مفتوحة الأوزان، أين وصلنا؟",
            "يستعرض باحثو مختبر ميسترال حالة النماذج اللغوية مفتوحة الأوزان وكيفية مقارنتها "
            "وما تعنيه بالنسبة للعربية والدارجة.",
            (
                "مقارنة النماذج مفتوحة الأوزان على معايير عامة.",
                "فهم التراخيص وعواقبها.",
                "معرفة وضع دعم العربية والدارجة.",
            ),
        ),
    },
    "taarrof-kalam-darija": {
        "en": (
            "Speech recognition for Moroccan Darija",
            "A two-day workshop to adapt a speech recognition model to Moroccan Darija and "
            "evaluate it on recordings from every region.",
            (
                "Prepare an audio corpus with its transcripts.",
                "Adapt an open speech recognition model.",
                "Measure the word error rate by region.",
            ),
        ),
    },
    "mathematiques-pour-ia": {
        "ar": (
            "الرياضيات للذكاء الاصطناعي: تأهيل",
            "ثلاثة أيام لمراجعة المتجهات والمصفوفات والاحتمالات والتدرجات، بتمارين بلغة بايثون "
            "بدل البراهين.",
            (
                "التعامل مع المتجهات والمصفوفات باستعمال NumPy.",
                "التفكير في احتمالات بسيطة.",
                "فهم خوارزمية النزول التدريجي.",
            ),
        ),
        "en": (
            "Mathematics for AI: a refresher",
            "Three days to revisit vectors, matrices, probability and gradients, with Python "
            "exercises rather than proofs.",
            (
                "Work with vectors and matrices in NumPy.",
                "Reason about simple probabilities.",
                "Understand gradient descent.",
            ),
        ),
    },
    "cloud-fundamentals-data-teams": {
        "ar": (
            "أساسيات الحوسبة السحابية لفرق البيانات",
            "ثلاثة أيام لفهم الحوسبة والتخزين والشبكات في السحابة وتشغيل معالجة بيانات في "
            "حاويات والتحكم في التكاليف.",
            (
                "الاختيار بين الآلات الافتراضية والحاويات والخدمات المدارة.",
                "تشغيل مهمة بيانات في حاوية.",
                "تقدير التكلفة الشهرية لمعالجة وتحديد سقفها.",
            ),
        ),
    },
}
"""Title, summary and outcomes of a third of the hand-written courses (every third one, so
every `--courses N` has at least a third translated) in the languages they are not written
in; a course written in Arabic or English keeps its own text in that language."""

PREREQUISITES = {
    "bootcamp-apprentissage-profond": (
        "<p>متابعة دورة في التعلم الآلي أو ما يعادلها.</p>",
        "<p>Having taken a machine learning course or equivalent.</p>",
    ),
    "ia-pour-tous": (
        "<p>لا شيء: يكفي استعمال متصفح.</p>",
        "<p>None: knowing how to use a web browser is enough.</p>",
    ),
    "apprentissage-automatique-en-pratique": (
        "<ul><li>بايثون وpandas</li><li>مبادئ الإحصاء</li></ul>",
        "<ul><li>Python and pandas</li><li>Basic statistics</li></ul>",
    ),
    "tal-arabe-darija": ("<p>أساسيات لغة بايثون.</p>", "<p>Python basics.</p>"),
    "mlops-notebook-to-production": (
        "<ul><li>بايثون</li><li>Git وسطر الأوامر</li></ul>",
        "<ul><li>Python</li><li>Git and the command line</li></ul>",
    ),
    "taarrof-kalam-darija": (
        "<p>خبرة في التعلم العميق.</p>",
        "<p>Experience with deep learning.</p>",
    ),
}
"""A course's own prerequisites, (Arabic, English); the others say there are none."""
