"""Data tables for the demo district: places, units, names and ID-number regions."""

from __future__ import annotations

from dataclasses import dataclass


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


DISTRICT_NAME = "南昌高新技术产业开发区"
# GB/T 2260 (statistical division) code used for the zone in the demo's official codes.
DISTRICT_OFFICIAL_CODE = "360192"


@dataclass(frozen=True)
class TownSpec:
    name: str
    official: str  # the three digits after the zone's code
    villages: int  # villages (村) at scale 1
    communities: int  # communities (社区) at scale 1
    fixed_villages: tuple[str, ...] = ()  # names that always come first (persona areas)


# The towns, sub-district offices and the reclamation farm of the zone; 120 villages and
# communities between them at scale 1.
TOWNS: tuple[TownSpec, ...] = (
    TownSpec("昌东镇", "100", 20, 8, fixed_villages=("艾溪村",)),
    TownSpec("麻丘镇", "101", 18, 6),
    TownSpec("艾溪湖管理处", "400", 2, 14),
    TownSpec("高新管理处", "401", 0, 12),
    TownSpec("瑶湖管理处", "402", 6, 8),
    TownSpec("鲤鱼洲管理处", "403", 10, 2),
    TownSpec("五星垦殖场", "500", 10, 4),
)

VILLAGE_STEMS = _words(
    "罗家 胡家 万家 熊坊 涂家 邓家 南山 塘山 桥头 新溪 黄岗 东坑 前湖 后湖 上坊 下坊 中洲 "
    "长垅 泉岭 双港 沙港 石岗 龙头 凤岭 枫林 柏林 竹山 梅岭 荷塘 莲塘 渡头 洲头 堎上 岗背 "
    "庙前 大塘 白沙 青岚 金桥 官塘 乌沙 红星 光明 团结 胜利 永丰 和平 蛟桥 牌楼 桃花 杨柳 "
    "樟树 湖坊 港口 新联 联合 五星 向阳 丰收 塔城"
)
VILLAGE_SUFFIXES = "家坊岗塘湖溪桥山洲湾垄圩"
COMMUNITY_STEMS = _words(
    "艾溪湖 紫阳 天祥 高新 京东 瑶湖 创新 火炬 航空城 金湖 湖滨 学府 太阳城 金沙 青山 "
    "艾湖 新城 兴业 惠民 幸福 和谐 阳光 碧水 锦绣 龙湾 蓝天 民园 香溢 鸿福 江大"
)
COMMUNITY_PREFIXES = "金银华新东南北西瑶艾紫天京和兴康安泰锦龙凤翠文博明嘉富福祥丰"
COMMUNITY_SUFFIXES = "苑园湖城府庭华阳溪湾景都"

# Natural villages (自然村) give their names to a village's groups; communities number theirs.
GROUP_STEMS = _words(
    "上罗 下罗 新屋 老屋 塘边 港背 前村 后村 大屋 小屋 东山 西山 岭上 田心 桥头 坑口 湖边 "
    "洲上 圳上 垄里 店前 枫树 樟树 竹林 石桥 新村 河背 沙洲 罗坊 熊家 万家 胡家 涂家 邓家 "
    "黄家 刘家"
)
CHINESE_NUMERALS = "〇一二三四五六七八九"

ROADS = _words(
    "紫阳大道 艾溪湖北路 艾溪湖一路 艾溪湖二路 高新大道 高新二路 高新五路 高新七路 "
    "火炬大街 火炬二路 京东大道 天祥大道 创新一路 创新二路 瑶湖西大道 南京东路 昌东大道 "
    "麻丘大道 航空城大道 清华路"
)

LEADING_GROUP = "南昌高新区应对新冠肺炎疫情工作领导小组"
COMMAND_HQ = "南昌高新区疫情防控应急指挥部"
TOWN_COMMAND = "{town}联防联控指挥部"


@dataclass(frozen=True)
class WorkingGroupSpec:
    name: str
    responsibilities: str
    sectors: str  # GB/T 4754 section letters the group answers for
    duty: str  # areas.models.Duty


# The nine working groups under the HQ (下设9个专项工作组), with duties from the report. Sections
# B (mining) and T (international organisations) have no group: the zone has neither, and the
# coverage report shows them as the gap.
WORKING_GROUPS: tuple[WorkingGroupSpec, ...] = (
    WorkingGroupSpec(
        "综合协调组",
        "信息沟通、联席会议、疫情通报、预测预警等联防联控机制的运转;统筹调度各工作组。",
        "S",
        "coordination",
    ),
    WorkingGroupSpec(
        "疫情防控组",
        "严控增量、细查存量:全面摸排、卡点设置与“十个一”配置、居家和集中隔离。",
        "HN",
        "prevention",
    ),
    WorkingGroupSpec(
        "医疗救治组",
        "发热病人排查转运、集中隔离点医疗保障、高新医院救治力量调度。",
        "Q",
        "medical",
    ),
    WorkingGroupSpec(
        "物资保障组",
        "调集口罩、消毒液等防疫物资,物资向一线倾斜,督导村、社区及企业做好物资管理台账。",
        "FG",
        "supplies",
    ),
    WorkingGroupSpec(
        "企业服务组",
        "复工复产报备、分片包干挂点、跟踪督导企业防控措施落实,落实事中事后监管。",
        "CDE",
        "enterprise_services",
    ),
    WorkingGroupSpec(
        "政策落实组",
        "“企业抗疫扶持十条”“企业用工服务十条”兑现:房租补贴、贷款贴息、招工稳工补贴、专车专列专机。",
        "JKL",
        "policy",
    ),
    WorkingGroupSpec(
        "招商服务组",
        "“屏对屏”招商、在线签约,“全网办”“邮寄办”“电话办”“预约办”政务服务。",
        "IM",
        "investment",
    ),
    WorkingGroupSpec(
        "宣传舆情组",
        "防疫宣传、舆情监测与回应,党建引领,临时党支部、党员突击队和志愿者动员。",
        "PR",
        "publicity",
    ),
    WorkingGroupSpec(
        "督查督办组",
        "督导各镇处、各单位防控和复工措施落地落细落实,守土有责。",
        "AO",
        "supervision",
    ),
)
SUPPLIES_GROUP = "物资保障组"
PREVENTION_GROUP = "疫情防控组"
ENTERPRISE_GROUP = "企业服务组"
INVESTMENT_GROUP = "招商服务组"

# Home units of the cadres sent down (机关和企事业单位、驻区机构).
DISTRICT_ORGANS = _words(
    "区党政办公室 区党群工作部 区纪工委 区经济发展局 区财政局 区科技创新局 区招商局 "
    "区规划建设局 区城市管理局 区社会发展局 区行政审批局 区应急管理局 "
    "区人力资源和社会保障局 区市场监督管理分局 区自然资源分局 区生态环境分局 区公安分局 "
    "区税务局 区统计局 区审计局 区投资控股集团 高新医院"
)

# Surnames common around Nanchang, by relative frequency.
SURNAMES_BY_WEIGHT = {
    8: "刘",
    6: "陈胡",
    5: "王李张黄",
    4: "吴万熊罗徐",
    3: "涂邓周杨曾彭肖朱",
    2: "付喻程龚舒魏钟邹余章聂雷谢郭何赵",
    1: "钱闵孙游夏姜帅敖戴袁汪傅严饶江梅宋郑蔡",
}
# Given-name characters, for people born before 1980 and after.
GIVEN_MALE_OLD = "国建华明军平强伟林忠德福生荣春金根水发兵峰文海新元勇志斌刚辉祥贵良中长正安光"
GIVEN_MALE_YOUNG = "浩宇轩子豪俊博晨杰涛鹏磊超睿泽翔宏航思一梓铭嘉文逸奕昊凯瑞"
GIVEN_FEMALE_OLD = "秀兰英芳华梅珍凤琴红玲桂莲霞娟萍云丽春菊燕敏金芬"
GIVEN_FEMALE_YOUNG = "欣怡婷雨佳琪萱涵诗梦雪静晓悦可馨瑶妍思子梓琳慧倩"

MOBILE_PREFIXES = _words(
    "130 131 132 133 134 135 136 137 138 139 150 151 152 153 155 156 157 158 159 177 180 "
    "181 182 183 185 186 187 188 189 191 199"
)


@dataclass(frozen=True)
class Region:
    code: str
    first_year: int  # birth years for which python-stdnum accepts the code (inclusive)
    last_year: int


def _regions(table: str) -> tuple[Region, ...]:
    """Parse ``code first-year last-year name`` lines; ``-`` is an open end."""
    rows = (line.split() for line in table.strip().splitlines())
    return tuple(
        Region(code, int(first) if first != "-" else 0, int(last) if last != "-" else 9999)
        for code, first, last, _name in rows
    )


# GB 11643 address codes and the birth years for which python-stdnum accepts each (it checks that
# the county existed in the year of birth).
LOCAL_REGIONS = _regions(
    """
    360121 - - 南昌县
    360122 - 2015 新建县
    360111 1983 - 郊区/青山湖区
    360102 1983 - 东湖区
    360103 1983 - 西湖区
    360104 1983 - 青云谱区
    360124 1983 - 进贤县
    362530 - 1983 进贤县(抚州地区)
    360112 2015 - 新建区
    """
)
PROVINCE_REGIONS = _regions(
    """
    360123 1983 - 安义县
    360425 1983 - 永修县
    360430 1983 - 彭泽县
    360502 1983 - 渝水区
    362226 - 2000 奉新县
    362201 - 2000 宜春市
    362330 - 2000 波阳县
    362329 - 2000 余干县
    362531 - 2000 东乡县
    362421 - 2000 吉安县
    362101 - 1998 赣州市
    360981 2000 - 丰城市
    361002 2000 - 临川区
    361128 2003 - 鄱阳县
    360902 2000 - 袁州区
    """
)
HUBEI_REGIONS = _regions(
    """
    420102 1983 - 江岸区
    420103 1983 - 江汉区
    420106 1983 - 武昌区
    420111 1983 - 洪山区
    420121 - 1992 汉阳县
    420122 - 1995 武昌县
    420221 - 1994 大冶县
    420200 - - 黄石市
    420281 1994 - 大冶市
    420902 1993 - 孝南区
    421002 1994 - 沙市区
    421102 1995 - 黄州区
    421182 1995 - 武穴市
    """
)
