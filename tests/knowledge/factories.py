"""An article written in the three scripts, through the service (as a supervisor would)."""

from datetime import date

from knowledge.services import article_save

WORK_PERMIT_ARTICLE = {
    "key": "work-permit-extension",
    "category": "work_permit",
    "title_zh_hans": "外国人工作许可证如何延期",
    "title_zh_hant": "外國人工作許可證如何延期",
    "title_en": "How to extend a foreigner's work permit",
    "body_zh_hans": "工作许可证有效期届满前**30日**内，由用人单位在线申请延期。\n\n- 护照\n- 劳动合同",
    "body_zh_hant": "工作許可證有效期屆滿前**30日**內，由用人單位在線申請延期。\n\n- 護照\n- 勞動合同",
    "body_en": "Your employer applies online **30 days** before the permit expires.\n\n- passport\n- contract",
    "source": "外国人来华工作许可服务指南（试行）",
    "effective_from": date(2026, 1, 1),
    "expires_on": None,
    "published": True,
}


def article(actor, **changes):
    return article_save(actor=actor, reason="first version", **{**WORK_PERMIT_ARTICLE, **changes})
