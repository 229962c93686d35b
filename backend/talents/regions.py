"""Countries and regions for the talent's 国籍（地区） (nationality or region): data, kept here.

Every ISO 3166-1 alpha-2 code with its name in simplified Chinese, traditional Chinese and
English. The names are CLDR's (taken once from Babel 2.19; the code list from pycountry
26.2.16), except that Hong Kong, Macao and Taiwan are named as regions of China (中国香港,
中国澳门, 中国台湾), as the centre's forms must name them. The stored value is the code: it
never changes when a name does.
"""

from __future__ import annotations

from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _


class Region(NamedTuple):
    code: str
    zh_hans: str
    zh_hant: str
    en: str


# Offered first in the picker: China and its regions, the centre's most frequent answers.
CHINA_AND_REGIONS = ("CN", "HK", "MO", "TW")
# Residents of these regions read traditional Chinese.
TRADITIONAL_CHINESE_REGIONS = frozenset({"HK", "MO", "TW"})

REGIONS: tuple[Region, ...] = tuple(Region(*row) for row in (
    ('AD', '安道尔', '安道爾', 'Andorra'),
    ('AE', '阿拉伯联合酋长国', '阿拉伯聯合大公國', 'United Arab Emirates'),
    ('AF', '阿富汗', '阿富汗', 'Afghanistan'),
    ('AG', '安提瓜和巴布达', '安地卡及巴布達', 'Antigua & Barbuda'),
    ('AI', '安圭拉', '安奎拉', 'Anguilla'),
    ('AL', '阿尔巴尼亚', '阿爾巴尼亞', 'Albania'),
    ('AM', '亚美尼亚', '亞美尼亞', 'Armenia'),
    ('AO', '安哥拉', '安哥拉', 'Angola'),
    ('AQ', '南极洲', '南極洲', 'Antarctica'),
    ('AR', '阿根廷', '阿根廷', 'Argentina'),
    ('AS', '美属萨摩亚', '美屬薩摩亞', 'American Samoa'),
    ('AT', '奥地利', '奧地利', 'Austria'),
    ('AU', '澳大利亚', '澳洲', 'Australia'),
    ('AW', '阿鲁巴', '荷屬阿魯巴', 'Aruba'),
    ('AX', '奥兰群岛', '奧蘭群島', 'Åland Islands'),
    ('AZ', '阿塞拜疆', '亞塞拜然', 'Azerbaijan'),
    ('BA', '波斯尼亚和黑塞哥维那', '波士尼亞與赫塞哥維納', 'Bosnia & Herzegovina'),
    ('BB', '巴巴多斯', '巴貝多', 'Barbados'),
    ('BD', '孟加拉国', '孟加拉', 'Bangladesh'),
    ('BE', '比利时', '比利時', 'Belgium'),
    ('BF', '布基纳法索', '布吉納法索', 'Burkina Faso'),
    ('BG', '保加利亚', '保加利亞', 'Bulgaria'),
    ('BH', '巴林', '巴林', 'Bahrain'),
    ('BI', '布隆迪', '蒲隆地', 'Burundi'),
    ('BJ', '贝宁', '貝南', 'Benin'),
    ('BL', '圣巴泰勒米', '聖巴瑟米', 'St. Barthélemy'),
    ('BM', '百慕大', '百慕達', 'Bermuda'),
    ('BN', '文莱', '汶萊', 'Brunei'),
    ('BO', '玻利维亚', '玻利維亞', 'Bolivia'),
    ('BQ', '荷属加勒比区', '荷蘭加勒比區', 'Caribbean Netherlands'),
    ('BR', '巴西', '巴西', 'Brazil'),
    ('BS', '巴哈马', '巴哈馬', 'Bahamas'),
    ('BT', '不丹', '不丹', 'Bhutan'),
    ('BV', '布韦岛', '布威島', 'Bouvet Island'),
    ('BW', '博茨瓦纳', '波札那', 'Botswana'),
    ('BY', '白俄罗斯', '白俄羅斯', 'Belarus'),
    ('BZ', '伯利兹', '貝里斯', 'Belize'),
    ('CA', '加拿大', '加拿大', 'Canada'),
    ('CC', '科科斯（基林）群岛', '科克斯（基靈）群島', 'Cocos (Keeling) Islands'),
    ('CD', '刚果（金）', '剛果（金夏沙）', 'Congo - Kinshasa'),
    ('CF', '中非共和国', '中非共和國', 'Central African Republic'),
    ('CG', '刚果（布）', '剛果（布拉薩）', 'Congo - Brazzaville'),
    ('CH', '瑞士', '瑞士', 'Switzerland'),
    ('CI', '科特迪瓦', '象牙海岸', 'Côte d’Ivoire'),
    ('CK', '库克群岛', '庫克群島', 'Cook Islands'),
    ('CL', '智利', '智利', 'Chile'),
    ('CM', '喀麦隆', '喀麥隆', 'Cameroon'),
    ('CN', '中国', '中國', 'China'),
    ('CO', '哥伦比亚', '哥倫比亞', 'Colombia'),
    ('CR', '哥斯达黎加', '哥斯大黎加', 'Costa Rica'),
    ('CU', '古巴', '古巴', 'Cuba'),
    ('CV', '佛得角', '維德角', 'Cape Verde'),
    ('CW', '库拉索', '庫拉索', 'Curaçao'),
    ('CX', '圣诞岛', '聖誕島', 'Christmas Island'),
    ('CY', '塞浦路斯', '賽普勒斯', 'Cyprus'),
    ('CZ', '捷克', '捷克', 'Czechia'),
    ('DE', '德国', '德國', 'Germany'),
    ('DJ', '吉布提', '吉布地', 'Djibouti'),
    ('DK', '丹麦', '丹麥', 'Denmark'),
    ('DM', '多米尼克', '多米尼克', 'Dominica'),
    ('DO', '多米尼加共和国', '多明尼加共和國', 'Dominican Republic'),
    ('DZ', '阿尔及利亚', '阿爾及利亞', 'Algeria'),
    ('EC', '厄瓜多尔', '厄瓜多', 'Ecuador'),
    ('EE', '爱沙尼亚', '愛沙尼亞', 'Estonia'),
    ('EG', '埃及', '埃及', 'Egypt'),
    ('EH', '西撒哈拉', '西撒哈拉', 'Western Sahara'),
    ('ER', '厄立特里亚', '厄利垂亞', 'Eritrea'),
    ('ES', '西班牙', '西班牙', 'Spain'),
    ('ET', '埃塞俄比亚', '衣索比亞', 'Ethiopia'),
    ('FI', '芬兰', '芬蘭', 'Finland'),
    ('FJ', '斐济', '斐濟', 'Fiji'),
    ('FK', '福克兰群岛', '福克蘭群島', 'Falkland Islands'),
    ('FM', '密克罗尼西亚', '密克羅尼西亞', 'Micronesia'),
    ('FO', '法罗群岛', '法羅群島', 'Faroe Islands'),
    ('FR', '法国', '法國', 'France'),
    ('GA', '加蓬', '加彭', 'Gabon'),
    ('GB', '英国', '英國', 'United Kingdom'),
    ('GD', '格林纳达', '格瑞那達', 'Grenada'),
    ('GE', '格鲁吉亚', '喬治亞', 'Georgia'),
    ('GF', '法属圭亚那', '法屬圭亞那', 'French Guiana'),
    ('GG', '根西岛', '根息', 'Guernsey'),
    ('GH', '加纳', '迦納', 'Ghana'),
    ('GI', '直布罗陀', '直布羅陀', 'Gibraltar'),
    ('GL', '格陵兰', '格陵蘭', 'Greenland'),
    ('GM', '冈比亚', '甘比亞', 'Gambia'),
    ('GN', '几内亚', '幾內亞', 'Guinea'),
    ('GP', '瓜德罗普', '瓜地洛普', 'Guadeloupe'),
    ('GQ', '赤道几内亚', '赤道幾內亞', 'Equatorial Guinea'),
    ('GR', '希腊', '希臘', 'Greece'),
    ('GS', '南乔治亚和南桑威奇群岛', '南喬治亞與南三明治群島', 'South Georgia & South Sandwich Islands'),
    ('GT', '危地马拉', '瓜地馬拉', 'Guatemala'),
    ('GU', '关岛', '關島', 'Guam'),
    ('GW', '几内亚比绍', '幾內亞比索', 'Guinea-Bissau'),
    ('GY', '圭亚那', '蓋亞那', 'Guyana'),
    ('HK', '中国香港', '中國香港', 'Hong Kong, China'),
    ('HM', '赫德岛和麦克唐纳群岛', '赫德島及麥唐納群島', 'Heard Island & McDonald Islands'),
    ('HN', '洪都拉斯', '宏都拉斯', 'Honduras'),
    ('HR', '克罗地亚', '克羅埃西亞', 'Croatia'),
    ('HT', '海地', '海地', 'Haiti'),
    ('HU', '匈牙利', '匈牙利', 'Hungary'),
    ('ID', '印度尼西亚', '印尼', 'Indonesia'),
    ('IE', '爱尔兰', '愛爾蘭', 'Ireland'),
    ('IL', '以色列', '以色列', 'Israel'),
    ('IM', '马恩岛', '曼島', 'Isle of Man'),
    ('IN', '印度', '印度', 'India'),
    ('IO', '英属印度洋领地', '英屬印度洋領地', 'British Indian Ocean Territory'),
    ('IQ', '伊拉克', '伊拉克', 'Iraq'),
    ('IR', '伊朗', '伊朗', 'Iran'),
    ('IS', '冰岛', '冰島', 'Iceland'),
    ('IT', '意大利', '義大利', 'Italy'),
    ('JE', '泽西岛', '澤西島', 'Jersey'),
    ('JM', '牙买加', '牙買加', 'Jamaica'),
    ('JO', '约旦', '約旦', 'Jordan'),
    ('JP', '日本', '日本', 'Japan'),
    ('KE', '肯尼亚', '肯亞', 'Kenya'),
    ('KG', '吉尔吉斯斯坦', '吉爾吉斯', 'Kyrgyzstan'),
    ('KH', '柬埔寨', '柬埔寨', 'Cambodia'),
    ('KI', '基里巴斯', '吉里巴斯', 'Kiribati'),
    ('KM', '科摩罗', '葛摩', 'Comoros'),
    ('KN', '圣基茨和尼维斯', '聖克里斯多福及尼維斯', 'St. Kitts & Nevis'),
    ('KP', '朝鲜', '北韓', 'North Korea'),
    ('KR', '韩国', '南韓', 'South Korea'),
    ('KW', '科威特', '科威特', 'Kuwait'),
    ('KY', '开曼群岛', '開曼群島', 'Cayman Islands'),
    ('KZ', '哈萨克斯坦', '哈薩克', 'Kazakhstan'),
    ('LA', '老挝', '寮國', 'Laos'),
    ('LB', '黎巴嫩', '黎巴嫩', 'Lebanon'),
    ('LC', '圣卢西亚', '聖露西亞', 'St. Lucia'),
    ('LI', '列支敦士登', '列支敦斯登', 'Liechtenstein'),
    ('LK', '斯里兰卡', '斯里蘭卡', 'Sri Lanka'),
    ('LR', '利比里亚', '賴比瑞亞', 'Liberia'),
    ('LS', '莱索托', '賴索托', 'Lesotho'),
    ('LT', '立陶宛', '立陶宛', 'Lithuania'),
    ('LU', '卢森堡', '盧森堡', 'Luxembourg'),
    ('LV', '拉脱维亚', '拉脫維亞', 'Latvia'),
    ('LY', '利比亚', '利比亞', 'Libya'),
    ('MA', '摩洛哥', '摩洛哥', 'Morocco'),
    ('MC', '摩纳哥', '摩納哥', 'Monaco'),
    ('MD', '摩尔多瓦', '摩爾多瓦', 'Moldova'),
    ('ME', '黑山', '蒙特內哥羅', 'Montenegro'),
    ('MF', '法属圣马丁', '法屬聖馬丁', 'St. Martin'),
    ('MG', '马达加斯加', '馬達加斯加', 'Madagascar'),
    ('MH', '马绍尔群岛', '馬紹爾群島', 'Marshall Islands'),
    ('MK', '北马其顿', '北馬其頓', 'North Macedonia'),
    ('ML', '马里', '馬利', 'Mali'),
    ('MM', '缅甸', '緬甸', 'Myanmar (Burma)'),
    ('MN', '蒙古', '蒙古', 'Mongolia'),
    ('MO', '中国澳门', '中國澳門', 'Macao, China'),
    ('MP', '北马里亚纳群岛', '北馬利安納群島', 'Northern Mariana Islands'),
    ('MQ', '马提尼克', '馬丁尼克', 'Martinique'),
    ('MR', '毛里塔尼亚', '茅利塔尼亞', 'Mauritania'),
    ('MS', '蒙特塞拉特', '蒙哲臘', 'Montserrat'),
    ('MT', '马耳他', '馬爾他', 'Malta'),
    ('MU', '毛里求斯', '模里西斯', 'Mauritius'),
    ('MV', '马尔代夫', '馬爾地夫', 'Maldives'),
    ('MW', '马拉维', '馬拉威', 'Malawi'),
    ('MX', '墨西哥', '墨西哥', 'Mexico'),
    ('MY', '马来西亚', '馬來西亞', 'Malaysia'),
    ('MZ', '莫桑比克', '莫三比克', 'Mozambique'),
    ('NA', '纳米比亚', '納米比亞', 'Namibia'),
    ('NC', '新喀里多尼亚', '新喀里多尼亞', 'New Caledonia'),
    ('NE', '尼日尔', '尼日', 'Niger'),
    ('NF', '诺福克岛', '諾福克島', 'Norfolk Island'),
    ('NG', '尼日利亚', '奈及利亞', 'Nigeria'),
    ('NI', '尼加拉瓜', '尼加拉瓜', 'Nicaragua'),
    ('NL', '荷兰', '荷蘭', 'Netherlands'),
    ('NO', '挪威', '挪威', 'Norway'),
    ('NP', '尼泊尔', '尼泊爾', 'Nepal'),
    ('NR', '瑙鲁', '諾魯', 'Nauru'),
    ('NU', '纽埃', '紐埃島', 'Niue'),
    ('NZ', '新西兰', '紐西蘭', 'New Zealand'),
    ('OM', '阿曼', '阿曼', 'Oman'),
    ('PA', '巴拿马', '巴拿馬', 'Panama'),
    ('PE', '秘鲁', '秘魯', 'Peru'),
    ('PF', '法属波利尼西亚', '法屬玻里尼西亞', 'French Polynesia'),
    ('PG', '巴布亚新几内亚', '巴布亞紐幾內亞', 'Papua New Guinea'),
    ('PH', '菲律宾', '菲律賓', 'Philippines'),
    ('PK', '巴基斯坦', '巴基斯坦', 'Pakistan'),
    ('PL', '波兰', '波蘭', 'Poland'),
    ('PM', '圣皮埃尔和密克隆群岛', '聖皮埃與密克隆群島', 'St. Pierre & Miquelon'),
    ('PN', '皮特凯恩群岛', '皮特肯群島', 'Pitcairn Islands'),
    ('PR', '波多黎各', '波多黎各', 'Puerto Rico'),
    ('PS', '巴勒斯坦领土', '巴勒斯坦自治區', 'Palestinian Territories'),
    ('PT', '葡萄牙', '葡萄牙', 'Portugal'),
    ('PW', '帕劳', '帛琉', 'Palau'),
    ('PY', '巴拉圭', '巴拉圭', 'Paraguay'),
    ('QA', '卡塔尔', '卡達', 'Qatar'),
    ('RE', '留尼汪', '留尼旺', 'Réunion'),
    ('RO', '罗马尼亚', '羅馬尼亞', 'Romania'),
    ('RS', '塞尔维亚', '塞爾維亞', 'Serbia'),
    ('RU', '俄罗斯', '俄羅斯', 'Russia'),
    ('RW', '卢旺达', '盧安達', 'Rwanda'),
    ('SA', '沙特阿拉伯', '沙烏地阿拉伯', 'Saudi Arabia'),
    ('SB', '所罗门群岛', '索羅門群島', 'Solomon Islands'),
    ('SC', '塞舌尔', '塞席爾', 'Seychelles'),
    ('SD', '苏丹', '蘇丹', 'Sudan'),
    ('SE', '瑞典', '瑞典', 'Sweden'),
    ('SG', '新加坡', '新加坡', 'Singapore'),
    ('SH', '圣赫勒拿', '聖赫勒拿島', 'St. Helena, Ascension & Tristan da Cunha'),
    ('SI', '斯洛文尼亚', '斯洛維尼亞', 'Slovenia'),
    ('SJ', '斯瓦尔巴和扬马延', '挪威屬斯瓦巴及尖棉', 'Svalbard & Jan Mayen'),
    ('SK', '斯洛伐克', '斯洛伐克', 'Slovakia'),
    ('SL', '塞拉利昂', '獅子山', 'Sierra Leone'),
    ('SM', '圣马力诺', '聖馬利諾', 'San Marino'),
    ('SN', '塞内加尔', '塞內加爾', 'Senegal'),
    ('SO', '索马里', '索馬利亞', 'Somalia'),
    ('SR', '苏里南', '蘇利南', 'Suriname'),
    ('SS', '南苏丹', '南蘇丹', 'South Sudan'),
    ('ST', '圣多美和普林西比', '聖多美普林西比', 'São Tomé & Príncipe'),
    ('SV', '萨尔瓦多', '薩爾瓦多', 'El Salvador'),
    ('SX', '荷属圣马丁', '荷屬聖馬丁', 'Sint Maarten'),
    ('SY', '叙利亚', '敘利亞', 'Syria'),
    ('SZ', '斯威士兰', '史瓦帝尼', 'Eswatini'),
    ('TC', '特克斯和凯科斯群岛', '土克斯及開科斯群島', 'Turks & Caicos Islands'),
    ('TD', '乍得', '查德', 'Chad'),
    ('TF', '法属南部领地', '法屬南部屬地', 'French Southern and Antarctic Lands'),
    ('TG', '多哥', '多哥', 'Togo'),
    ('TH', '泰国', '泰國', 'Thailand'),
    ('TJ', '塔吉克斯坦', '塔吉克', 'Tajikistan'),
    ('TK', '托克劳', '托克勞群島', 'Tokelau'),
    ('TL', '东帝汶', '東帝汶', 'Timor-Leste'),
    ('TM', '土库曼斯坦', '土庫曼', 'Turkmenistan'),
    ('TN', '突尼斯', '突尼西亞', 'Tunisia'),
    ('TO', '汤加', '東加', 'Tonga'),
    ('TR', '土耳其', '土耳其', 'Türkiye'),
    ('TT', '特立尼达和多巴哥', '千里達及托巴哥', 'Trinidad & Tobago'),
    ('TV', '图瓦卢', '吐瓦魯', 'Tuvalu'),
    ('TW', '中国台湾', '中國臺灣', 'Taiwan, China'),
    ('TZ', '坦桑尼亚', '坦尚尼亞', 'Tanzania'),
    ('UA', '乌克兰', '烏克蘭', 'Ukraine'),
    ('UG', '乌干达', '烏干達', 'Uganda'),
    ('UM', '美国本土外小岛屿', '美國本土外小島嶼', 'U.S. Outlying Islands'),
    ('US', '美国', '美國', 'United States'),
    ('UY', '乌拉圭', '烏拉圭', 'Uruguay'),
    ('UZ', '乌兹别克斯坦', '烏茲別克', 'Uzbekistan'),
    ('VA', '梵蒂冈', '梵蒂岡', 'Vatican City'),
    ('VC', '圣文森特和格林纳丁斯', '聖文森及格瑞那丁', 'St. Vincent & Grenadines'),
    ('VE', '委内瑞拉', '委內瑞拉', 'Venezuela'),
    ('VG', '英属维尔京群岛', '英屬維京群島', 'British Virgin Islands'),
    ('VI', '美属维尔京群岛', '美屬維京群島', 'U.S. Virgin Islands'),
    ('VN', '越南', '越南', 'Vietnam'),
    ('VU', '瓦努阿图', '萬那杜', 'Vanuatu'),
    ('WF', '瓦利斯和富图纳', '瓦利斯群島和富圖那群島', 'Wallis & Futuna'),
    ('WS', '萨摩亚', '薩摩亞', 'Samoa'),
    ('YE', '也门', '葉門', 'Yemen'),
    ('YT', '马约特', '馬約特島', 'Mayotte'),
    ('ZA', '南非', '南非', 'South Africa'),
    ('ZM', '赞比亚', '尚比亞', 'Zambia'),
    ('ZW', '津巴布韦', '辛巴威', 'Zimbabwe'),
))

BY_CODE: dict[str, Region] = {region.code: region for region in REGIONS}


def normalise_region_code(value: str) -> str:
    """The stored form of a code: ``" hk "`` → ``"HK"``."""
    return (value or "").strip().upper()


def region_name(code: str, language: str | None = None) -> str:
    """The name of a code in ``language`` (default: the active one); an unknown code as is."""
    region = BY_CODE.get(normalise_region_code(code))
    if region is None:
        return code or ""
    language = (language or get_language() or "zh-hans").lower()
    if language.startswith("en"):
        return region.en
    if language in {"zh-hant", "zh-tw", "zh-hk", "zh-mo"}:
        return region.zh_hant
    return region.zh_hans


def region_choices(language: str | None = None) -> list:
    """Grouped choices for a select, in ``language``: China and its regions first, then
    every other country and region by its English name (a clerk may type either)."""
    def option(region: Region) -> tuple[str, str]:
        name = region_name(region.code, language)
        return region.code, name if name == region.en else f"{name} · {region.en}"

    first = [option(BY_CODE[code]) for code in CHINA_AND_REGIONS]
    rest = [option(region) for region in sorted(REGIONS, key=lambda r: r.en)
            if region.code not in CHINA_AND_REGIONS]
    return [(_("China and its regions"), first), (_("Other countries and regions"), rest)]


def validate_region_code(value: str) -> None:
    """A model validator: the code of a known country or region."""
    if normalise_region_code(value) not in BY_CODE:
        raise ValidationError(
            _("Choose a country or region from the list (ISO 3166 two-letter code, e.g. GB, HK)."),
            code="unknown_region",
        )
