"""The demo centre's knowledge base: a few real-looking policy answers and reply
templates, written through the services by the demo supervisor (``core.demo`` calls it)."""

from __future__ import annotations

from datetime import date

from knowledge.models import Article, ReplyTemplate
from knowledge.services import article_save, template_save

ARTICLES = [
    {
        "key": "work-permit-extension", "category": "work_permit",
        "title_zh_hans": "外国人工作许可证如何延期", "title_zh_hant": "外國人工作許可證如何延期",
        "title_en": "How to extend a foreigner's work permit",
        "body_zh_hans": "工作许可证有效期届满前**30日**内，由用人单位登录外国人来华工作管理服务系统申请延期。\n\n"
                        "需要准备：\n\n- 护照\n- 续签的劳动合同\n- 上一年度个人所得税完税证明\n\n"
                        "A类人才可承诺后补交部分材料（容缺受理）。",
        "body_zh_hant": "工作許可證有效期屆滿前**30日**內，由用人單位登錄外國人來華工作管理服務系統申請延期。\n\n"
                        "需要準備：\n\n- 護照\n- 續簽的勞動合同\n- 上一年度個人所得稅完稅證明\n\n"
                        "A類人才可承諾後補交部分材料（容缺受理）。",
        "body_en": "Your employer applies online **30 days** before the permit expires.\n\n"
                   "Have ready:\n\n- your passport\n- the renewed employment contract\n"
                   "- last year's individual income tax records\n\n"
                   "Class A talents may pledge to hand in some documents later.",
        "source": "外国人来华工作许可服务指南（暂行）", "effective_from": date(2026, 1, 1), "published": True,
    },
    {
        "key": "hk-macao-residence-permit", "category": "hk_macau_residents",
        "title_zh_hans": "港澳居民居住证申领条件", "title_zh_hant": "港澳居民居住證申領條件",
        "title_en": "Who can apply for the residence permit for Hong Kong and Macao residents",
        "body_zh_hans": "在内地居住**半年以上**，并符合有合法稳定就业、合法稳定住所、连续就读条件之一的港澳居民，"
                        "可以向居住地公安机关申领居住证。",
        "body_zh_hant": "在內地居住**半年以上**，並符合有合法穩定就業、合法穩定住所、連續就讀條件之一的港澳居民，"
                        "可以向居住地公安機關申領居住證。",
        "body_en": "Hong Kong and Macao residents who have lived on the mainland for **six months** and have "
                   "stable employment, a stable address or continuous study may apply to the local police.",
        "source": "港澳台居民居住证申领发放办法（国办发〔2018〕81号）", "effective_from": date(2018, 9, 1),
        "published": True,
    },
    {
        "key": "settling-in-allowance-2025", "category": "talent_recognition",
        "title_zh_hans": "2025年度安家补贴申领", "title_zh_hant": "2025年度安家補貼申領",
        "title_en": "Claiming the 2025 settling-in allowance",
        "body_zh_hans": "2025年度安家补贴申领已于12月31日截止，逾期未申领的请咨询专员。",
        "body_zh_hant": "2025年度安家補貼申領已於12月31日截止，逾期未申領的請諮詢專員。",
        "body_en": "Claims for the 2025 settling-in allowance closed on 31 December; ask your officer if you missed it.",
        "source": "海河英才行动计划实施细则", "effective_from": date(2025, 1, 1), "expires_on": date(2025, 12, 31),
        "published": True,
    },
]
TEMPLATES = [
    {
        "key": "received", "category": "", "title_zh_hans": "已受理", "title_en": "Received",
        "body_zh_hans": "{name}您好，您的申请（{reference}）已受理，专员将在工作时间内与您联系。",
        "body_zh_hant": "{name}您好，您的申請（{reference}）已受理，專員將在工作時間內與您聯繫。",
        "body_en": "Dear {name}, your request {reference} has been received; your officer will contact you "
                   "in working hours.",
    },
    {
        "key": "ready-for-pickup", "category": "", "title_zh_hans": "证件可领取", "title_en": "Ready for pickup",
        "body_zh_hans": "{name}您好，{reference}的证件已制发，请携带身份证件和受理回执到窗口领取，或回复邮寄地址。",
        "body_zh_hant": "{name}您好，{reference}的證件已製發，請攜帶身份證件和受理回執到窗口領取，或回覆郵寄地址。",
        "body_en": "Dear {name}, the document for {reference} is ready: collect it at the window with your ID "
                   "and receipt, or reply with a mailing address.",
    },
]


def seed_knowledge(*, editor) -> int:
    """Write the demo articles and templates that do not exist yet; returns how many."""
    written = 0
    for values in ARTICLES:
        if not Article.objects.filter(key=values["key"]).exists():
            article_save(actor=editor, reason="demo", **values)
            written += 1
    for values in TEMPLATES:
        if not ReplyTemplate.objects.filter(key=values["key"]).exists():
            template_save(actor=editor, reason="demo", **values)
            written += 1
    return written
