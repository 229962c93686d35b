"""A realistic bilingual demo centre, built through the same services as real work.

Two centres, six windows, a dozen staff across all roles, about 300 talents and about
3,000 tickets spread over the last 120 days, each walked through its workflow with the
clock frozen at plausible moments so timelines, due times and history read true.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from centres.models import ServiceCentre, Window
from core import clock
from flows.registry import current_workflows
from hall.models import ServiceLine
from staff.models import Officer, Role
from talents.models import DocumentType, Origin, Talent, Tier, origin_from
from tickets import services
from tickets.models import Channel, MaterialStatus, Priority, Ticket

DEMO_PASSWORD = "talentdesk-demo"  # noqa: S105  (documented demo credential)

CENTRES = [
    ("city", "市引进人才综合服务中心", "City Talent Service Centre", "人才大厦一层", "022-2345 6789"),
    ("offshore", "离岸创新基地人才服务站", "Offshore Innovation Base Service Point", "创新基地A座",
     "022-2345 6790"),
]
WINDOWS = [
    ("city", "returnee", "海外留学人员服务窗口", "Overseas Returnee Window",
     ["settlement", "transport", "healthcare", "schooling", "personnel_files", "hk_macau_residents"]),
    ("city", "general", "综合服务窗口", "General Services Window",
     ["policy_consultation", "transport", "healthcare", "talent_card", "talent_recognition",
      "talent_housing", "startup", "complaints"]),
    ("city", "family", "家属服务窗口", "Family Services Window",
     ["schooling", "healthcare", "settlement", "talent_housing"]),
    ("offshore", "entry_exit", "出入境服务窗口", "Entry–Exit Service Window",
     ["entry_exit", "work_permit", "hk_macau_residents"]),
    ("offshore", "talent_card", "人才服务证窗口", "Talent Service Card Window",
     ["talent_card", "policy_consultation", "talent_recognition", "work_permit"]),
    ("offshore", "general", "政策咨询窗口", "Policy Consultation Window",
     ["policy_consultation", "entry_exit", "startup", "complaints"]),
]
# username, display name, role, centre, windows, skills, languages
STAFF = [
    ("admin", "系统管理员 Admin", Role.ADMIN, "city", [], [], ["zh", "en"]),
    ("supervisor", "王丽 Wang Li", Role.SUPERVISOR, "city", ["returnee", "general", "family"], [], ["zh", "en"]),
    ("supervisor2", "赵敏 Zhao Min", Role.SUPERVISOR, "offshore", ["entry_exit", "talent_card", "general"], [], ["zh"]),
    ("clerk", "陈静 Chen Jing", Role.WINDOW_STAFF, "city", ["returnee", "general"], [], ["zh", "en"]),
    ("clerk2", "刘洋 Liu Yang", Role.WINDOW_STAFF, "city", ["family"], [], ["zh"]),
    ("clerk3", "孙悦 Sun Yue", Role.WINDOW_STAFF, "offshore", ["entry_exit", "talent_card", "general"], [], ["zh", "en"]),
    ("officer", "张伟 Zhang Wei", Role.OFFICER, "city", ["returnee", "general"],
     ["settlement", "transport", "policy_consultation", "talent_card", "talent_recognition",
      "personnel_files", "complaints"], ["zh", "en"]),
    ("officer2", "李娜 Li Na", Role.OFFICER, "city", ["returnee", "family"],
     ["settlement", "schooling", "healthcare", "talent_housing", "personnel_files",
      "hk_macau_residents"], ["zh", "en"]),
    ("officer3", "周杰 Zhou Jie", Role.OFFICER, "city", ["general", "family"],
     ["healthcare", "transport", "policy_consultation", "schooling", "talent_housing", "startup",
      "complaints", "talent_recognition"], ["zh"]),
    ("officer4", "吴芳 Wu Fang", Role.OFFICER, "offshore", ["entry_exit", "general"],
     ["entry_exit", "policy_consultation", "work_permit", "hk_macau_residents", "startup",
      "complaints"], ["zh", "en"]),
    ("officer5", "郑浩 Zheng Hao", Role.OFFICER, "offshore", ["entry_exit", "talent_card"],
     ["entry_exit", "talent_card", "work_permit", "talent_recognition", "hk_macau_residents"], ["zh"]),
    ("officer6", "黄蕾 Huang Lei", Role.OFFICER, "offshore", ["talent_card", "general"],
     ["talent_card", "policy_consultation", "entry_exit", "talent_recognition", "startup",
      "work_permit", "complaints"], ["zh", "en"]),
]
# Open tickets each can hold (routing's limit, shown on the team page): officers differ by
# experience and part-time work; supervisors hold few; window staff are never routed tickets.
CAPACITY = {"officer": 120, "officer2": 90, "officer3": 100, "officer4": 80, "officer5": 60, "officer6": 100,
            "supervisor": 20, "supervisor2": 15}
BACKUPS = {"officer": "officer2", "officer2": "officer3", "officer3": "officer", "officer4": "officer6",
           "officer5": "officer4", "officer6": "officer5"}

SURNAMES = [("王", "Wang"), ("李", "Li"), ("张", "Zhang"), ("刘", "Liu"), ("陈", "Chen"), ("杨", "Yang"),
            ("黄", "Huang"), ("赵", "Zhao"), ("周", "Zhou"), ("吴", "Wu"), ("林", "Lin"), ("何", "He")]
GIVEN = [("思远", "Siyuan"), ("嘉怡", "Jiayi"), ("子涵", "Zihan"), ("浩然", "Haoran"), ("雨桐", "Yutong"),
         ("俊杰", "Junjie"), ("欣然", "Xinran"), ("明轩", "Mingxuan"), ("若曦", "Ruoxi"), ("志强", "Zhiqiang")]
FOREIGN = [
    ("", "James Miller", "GB"), ("", "Emily Clarke", "GB"), ("", "Michael Johnson", "US"),
    ("", "Sarah Thompson", "US"), ("", "Lukas Müller", "DE"), ("", "Anna Schmidt", "DE"),
    ("", "Pierre Dubois", "FR"), ("", "Camille Laurent", "FR"), ("山田太郎", "Taro Yamada", "JP"),
    ("佐藤花子", "Hanako Sato", "JP"), ("김민준", "Kim Min-jun", "KR"), ("이서연", "Lee Seo-yeon", "KR"),
    ("Иван Петров", "Ivan Petrov", "RU"), ("", "Olivia Brown", "AU"), ("", "Lars Andersen", "DK"),
    ("", "Giulia Rossi", "IT"), ("", "Rahul Sharma", "IN"), ("", "Ana Souza", "BR"),
    ("", "Noah Wilson", "CA"), ("", "Sofia Novak", "CZ"),
]
EMPLOYERS = ["滨海生物医药研究院", "Tianjin AI Lab", "北方新能源汽车有限公司", "Harbour Semiconductors",
             "海河大学", "Offshore Fintech Co.", "国际航运服务集团", "Green Hydrogen Research Centre"]
INDUSTRIES = ["biomedicine", "artificial intelligence", "new energy vehicles", "semiconductors",
              "higher education", "fintech", "shipping", "hydrogen energy"]
SUBJECTS = {
    "settlement": [("申请人才落户", "Household registration as a recognised talent"),
                   ("配偶子女随迁落户", "Registration for accompanying spouse and children")],
    "transport": [("境外驾照换领中国驾照", "Convert a foreign driving licence"),
                  ("人才交通卡办理", "Talent transport card")],
    "healthcare": [("预约绿色通道就医", "Green-channel hospital appointment"),
                   ("医保参保登记", "Medical insurance enrolment")],
    "schooling": [("子女小学入学申请", "Primary school place for my child"),
                  ("国际学校转介", "Referral to an international school")],
    "entry_exit": [("工作类居留许可延期", "Extend work residence permit"),
                   ("家属签证办理", "Visa for accompanying family"),
                   ("永久居留申请咨询", "Permanent residence application")],
    "talent_card": [("申领人才服务证", "Apply for the talent service card"),
                    ("人才服务证续期", "Renew the talent service card")],
    "policy_consultation": [("人才补贴政策咨询", "Question about talent subsidies"),
                            ("购房政策咨询", "Question about housing purchase rules")],
    "work_permit": [("申请外国人来华工作许可（A类）", "Work permit, class A"),
                    ("工作许可证延期", "Extend my work permit"),
                    ("变更工作单位后的工作许可", "Work permit after changing employer")],
    "talent_recognition": [("海河英才人才认定", "Recognition under the Haihe Talents programme"),
                           ("申领安家补贴", "Claim the settling-in allowance"),
                           ("生活补贴发放查询", "Living allowance payment")],
    "talent_housing": [("申请人才公寓", "Apply for a talent apartment"),
                       ("申领租房补贴", "Claim the rent subsidy")],
    "personnel_files": [("档案转入和存档证明", "Transfer my personnel file and certify it"),
                        ("境外职业资格职称认定", "Recognise my overseas qualification as a title")],
    "startup": [("注册科技型公司", "Register a technology company"),
                ("入驻孵化器和创业贷款", "Incubator place and start-up loan")],
    "hk_macau_residents": [("申领港澳居民居住证", "Residence permit for Hong Kong and Macao residents"),
                           ("香港注册建筑师执业备案", "Practice registration for a Hong Kong architect")],
    "complaints": [("窗口等候时间过长", "Waited too long at the window"),
                   ("建议增加英文服务时段", "Suggestion: more hours with English service")],
}
NOTES = [("已电话联系人才确认情况。", "Called the talent to confirm the details."),
         ("材料齐全，继续办理。", "Documents complete, proceeding."),
         ("请补充近三个月社保缴纳证明。", "Please add social insurance records for the last three months."),
         ("已与相关部门沟通，预计本周内反馈。", "Coordinated with the department, feedback expected this week.")]


@dataclass
class DemoStats:
    centres: int
    windows: int
    officers: int
    talents: int
    tickets: int


def seed(*, tickets: int = 3000, talents: int = 300, seed: int = 2026, now: datetime | None = None,
         progress=None) -> DemoStats:
    """Build the demo centre; ``progress(done)`` (optional) is called after each ticket."""
    rng = random.Random(seed)
    now = now or timezone.now()
    with transaction.atomic():
        centres, windows = _centres()
        officers = _staff(centres, windows)
        people = _talents(rng, talents, officers)
        _service_lines(centres, windows)
        from knowledge.demo import seed_knowledge

        seed_knowledge(editor=officers["supervisor"].user)
    workflows = current_workflows()
    categories = [key for key in workflows if any(key in w.categories for w in windows.values())]
    channels = [Channel.ONLINE] * 9 + [Channel.WINDOW] * 5 + [Channel.HOTLINE] * 4 + [Channel.EMAIL, Channel.REFERRAL]
    opened = 0
    start = now - timedelta(days=120)
    moments = sorted(_arrival(rng, start) for _ in range(tickets))
    batch = 200
    for offset in range(0, tickets, batch):
        with transaction.atomic():
            for moment in moments[offset : offset + batch]:
                _one_ticket(rng, moment, now, people, officers, windows, categories, channels)
                opened += 1
                if progress is not None:
                    progress(opened)
    return DemoStats(len(centres), len(windows), len(officers), len(people), opened)


def _arrival(rng: random.Random, start: datetime) -> datetime:
    """Most requests arrive in opening hours on weekdays (window and hotline); some online
    requests come in the evening or at the weekend."""
    moment = start + timedelta(seconds=rng.uniform(0, 120 * 86400))
    if rng.random() < 0.15:
        return moment
    local = timezone.localtime(moment)
    while local.weekday() >= 5:
        local += timedelta(days=1)
    minutes = rng.choice([rng.uniform(9 * 60, 12 * 60), rng.uniform(13.5 * 60, 17.5 * 60)])
    return local.replace(hour=int(minutes // 60), minute=int(minutes % 60), second=rng.randrange(60))


def _centres():
    centres = {}
    for code, zh, en, address, hotline in CENTRES:
        centres[code], _ = ServiceCentre.objects.get_or_create(
            code=code, defaults={"name_zh": zh, "name_en": en, "address": address, "hotline": hotline}
        )
    windows = {}
    for centre, code, zh, en, categories in WINDOWS:
        windows[(centre, code)], _ = Window.objects.get_or_create(
            centre=centres[centre], code=code,
            defaults={"name_zh": zh, "name_en": en, "categories": categories},
        )
    return centres, windows


# centre, prefix, name zh, name en, windows, minutes per person (the hall's kiosk and board)
SERVICE_LINES = [
    ("city", "A", "海外人才专窗", "Overseas talent window", ["returnee"], 10),
    ("city", "B", "综合事项", "General matters", ["general", "family"], 8),
    ("city", "C", "政策咨询", "Enquiries", ["general"], 5),
    ("offshore", "A", "出入境与工作许可", "Entry-exit and work permits", ["entry_exit"], 12),
    ("offshore", "B", "人才服务证与咨询", "Talent card and enquiries", ["talent_card", "general"], 6),
]


def _service_lines(centres, windows) -> None:
    for position, (centre, prefix, zh, en, window_codes, minutes) in enumerate(SERVICE_LINES):
        line, _ = ServiceLine.objects.get_or_create(
            centre=centres[centre], prefix=prefix,
            defaults={"name_zh": zh, "name_en": en, "minutes_per_person": minutes,
                      "position": position},
        )
        line.windows.set([windows[(centre, code)] for code in window_codes])


def _staff(centres, windows) -> dict[str, Officer]:
    user_model = get_user_model()
    password = make_password(DEMO_PASSWORD)  # hashed once: PBKDF2 is slow on purpose
    officers = {}
    for username, display, role, centre, window_codes, skills, languages in STAFF:
        user, created = user_model.objects.get_or_create(username=username)
        if created:
            user.password = password
            user.first_name = display
            user.is_staff = role == Role.ADMIN
            user.is_superuser = role == Role.ADMIN
            user.save()
        officer, _ = Officer.objects.get_or_create(
            user=user,
            defaults={"display_name": display, "role": role, "centre": centres[centre],
                      "skills": skills, "languages": languages,
                      "capacity": CAPACITY.get(username, 0)},
        )
        officer.windows.set([windows[(centre, code)] for code in window_codes])
        officer.window_set = {windows[(centre, code)].pk for code in window_codes}
        officers[username] = officer
    for username, backup in BACKUPS.items():
        officer = officers[username]
        officer.backup = officers[backup]
        officer.save()
    return officers


def _talents(rng: random.Random, count: int, officers: dict[str, Officer]) -> list[Talent]:
    dedicated = [officers[name] for name in ("officer", "officer2", "officer3", "officer4", "officer5", "officer6")]
    people = list(Talent.objects.all()[:count])
    centres = sorted({o.centre for o in officers.values()}, key=lambda centre: centre.pk)
    for index in range(len(people), count):
        if index % 2 == 0:
            (sz, se), (gz, ge) = rng.choice(SURNAMES), rng.choice(GIVEN)
            native, latin, nationality = sz + gz, f"{se} {ge}", rng.choice(["CN", "CN", "HK", "MO", "SG"])
            language = "zh"
        else:
            native, latin, nationality = rng.choice(FOREIGN)
            language = rng.choice(["en", "en", "zh"])
        origin = origin_from(nationality)
        if origin == Origin.RETURNEE and rng.random() < 0.3:
            origin = Origin.DOMESTIC  # talents from elsewhere in China use the centre too
        doc_type = DocumentType.RESIDENT_ID if nationality == "CN" else (
            DocumentType.HK_MACAU_PERMIT if nationality in {"HK", "MO"} else DocumentType.PASSPORT
        )
        talent = Talent(
            native_name=native,
            latin_name=latin,
            nationality=nationality,
            document_type=doc_type,
            document_number=f"{rng.choice('EGPK')}{rng.randrange(10**7, 10**8)}{index:03d}",
            phone=f"1{rng.choice('3589')}{rng.randrange(10**8, 10**9)}",
            email=f"talent{index}@example.org",
            preferred_language=language,
            origin=origin,
            tier=rng.choice([Tier.LEADING] + [Tier.A] * 2 + [Tier.B] * 3 + [Tier.C] * 3 + [Tier.OTHER]),
            employer=rng.choice(EMPLOYERS),
            key_industry=rng.choice(INDUSTRIES),
        )
        # The product's rules hold for demo data too: a talent belongs to a centre, and a
        # dedicated officer works at it (so routing never crosses centres).
        talent.dedicated_officer = rng.choice(dedicated) if rng.random() < 0.6 else None
        talent.centre = (talent.dedicated_officer.centre if talent.dedicated_officer
                         else rng.choice(centres))
        talent.save()
        people.append(talent)
    return people


def _one_ticket(rng, moment, now, people, officers, windows, categories, channels) -> Ticket:
    category = rng.choice(categories)
    window = rng.choice([w for w in windows.values() if category in w.categories])
    clerks = [o for o in officers.values() if o.role == Role.WINDOW_STAFF and window.pk in o.window_set]
    opener = (rng.choice(clerks) if clerks else officers["supervisor"]).user
    workflow = current_workflows()[category]
    required = [m.id for m in workflow.materials if m.required]
    handed = [m for m in required if rng.random() < 0.7]
    subject_zh, subject_en = rng.choice(SUBJECTS.get(category, [("咨询", "Enquiry")]))
    talent = rng.choice(people)
    with clock.frozen_at(moment):
        opened = services.ticket_open(
            actor=opener,
            talent=talent,
            category=category,
            channel=rng.choice(channels),
            subject=subject_en if talent.preferred_language == "en" else subject_zh,
            description=rng.choice(NOTES)[1 if talent.preferred_language == "en" else 0],
            priority=rng.choice([Priority.NORMAL] * 6 + [Priority.LOW, Priority.HIGH, Priority.HIGH, Priority.URGENT]),
            window=window,
            materials_received=handed,
        )
    ticket = opened.ticket
    age = (now - moment).total_seconds() / 86400
    # Most tickets older than two weeks are done, as in a centre that keeps its promises;
    # recent ones are spread across the workflow.
    finish = age > 14 and rng.random() < 0.93
    steps = 14 if finish else rng.choice([0, 1, 1, 2, 2, 3])
    moment += timedelta(hours=rng.expovariate(1 / 1.5))  # first answer: mostly within hours
    for _ in range(steps):
        if moment >= now:
            break
        with clock.frozen_at(moment):
            ticket = _step(rng, ticket, window, officers, finish=finish)
        if ticket is None or ticket.is_final:
            break
        moment += timedelta(hours=rng.uniform(0.5, 40 if finish else 60))
    if ticket is not None and ticket.resolved_at and rng.random() < 0.45 and moment < now:
        _rate(rng, ticket, moment)
    return opened.ticket


def _rate(rng, ticket: Ticket, moment) -> None:
    """Talents rate about half of the finished cases, mostly well."""
    from portal.services import portal_rate, talent_may_rate

    if not talent_may_rate(ticket):
        return
    score = rng.choices([5, 4, 3, 2, 1], weights=[55, 28, 9, 5, 3])[0]
    comments = {5: "非常满意，专员很专业。", 4: "Quick and clear, thank you.", 3: "", 2: "等待时间较长。",
                1: "Nobody called me back for a week."}
    with clock.frozen_at(moment):
        portal_rate(ticket=ticket, talent=ticket.talent, score=score, comment=comments[score])


def _weight(transition, workflow, finish: bool) -> float:
    target = workflow.state(transition.target)
    if transition.style == "danger":
        return 0.08 if finish else 0.25
    if target.pauses_sla:
        return 0.8 if finish else 2.0
    if target.final:
        return 6.0 if finish else 1.0
    if target.resolved:
        return 5.0
    return 4.0


def _step(rng, ticket: Ticket, window, officers, *, finish: bool) -> Ticket | None:
    ticket.refresh_from_db()
    if ticket.assignee is None:
        candidates = [o for o in officers.values() if o.role == Role.OFFICER and window.pk in o.window_set]
        if not candidates:
            return None
        services.ticket_claim(ticket=ticket, actor=rng.choice(candidates).user)
        ticket.refresh_from_db()
    actor = ticket.assignee.user
    workflow = ticket.workflow
    options = [t for t in workflow.actions_for(ticket.state, ticket.assignee.role) if t.action != "reopen"]
    if not options:
        # Some steps are the supervisor's (a complaint's reply is approved by one).
        supervisor = next((o for o in officers.values()
                           if o.role == Role.SUPERVISOR and o.centre_id == ticket.centre_id), None)
        if supervisor is None:
            return None
        actor = supervisor.user
        options = [t for t in workflow.actions_for(ticket.state, supervisor.role) if t.action != "reopen"]
        if not options:
            return None
    if rng.random() < 0.3:
        zh, en = rng.choice(NOTES)
        services.ticket_comment(ticket=ticket, actor=actor, body=en if rng.random() < 0.4 else zh,
                                public=rng.random() < 0.5)
    transition = rng.choices(options, weights=[_weight(t, workflow, finish) for t in options])[0]
    if transition.requires_materials:
        for item in ticket.materials.filter(required=True).exclude(status=MaterialStatus.RECEIVED):
            services.material_update(material=item, actor=actor, status=MaterialStatus.RECEIVED)
    note = rng.choice(NOTES)[0] if transition.comment_required else ""
    services.ticket_transition(ticket=ticket, action=transition.action, actor=actor, note=note)
    ticket.refresh_from_db()
    return ticket
