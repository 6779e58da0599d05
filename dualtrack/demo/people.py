"""Synthetic people: names, GB 11643 ID numbers and mobiles that are valid by construction."""

from __future__ import annotations

import datetime
import random
from enum import StrEnum
from itertools import accumulate

from stdnum.cn import ric

from dualtrack.areas.models import Gender, Relation, ResidenceKind
from dualtrack.areas.services.people import ResidentData
from dualtrack.demo import names

# The day the demo district's records describe: early in the spring 2020 campaign.
REFERENCE_DATE = datetime.date(2020, 2, 15)
OLD_GENERATION_BEFORE = 1980

# Household sizes (户) and how often each occurs; the mean is about 3.2 people.
HOUSEHOLD_SIZES = (1, 2, 3, 4, 5, 6)
HOUSEHOLD_SIZE_WEIGHTS = (10, 22, 28, 22, 12, 6)


class Origin(StrEnum):
    """Where a household's members were registered at birth."""

    LOCAL = "local"  # Nanchang
    PROVINCE = "province"  # elsewhere in Jiangxi
    HUBEI = "hubei"  # migrant workers from Hubei, back after the Spring Festival


_REGIONS = {
    Origin.LOCAL: names.LOCAL_REGIONS,
    Origin.PROVINCE: names.PROVINCE_REGIONS,
    Origin.HUBEI: names.HUBEI_REGIONS,
}
_RESIDENCE = {
    Origin.LOCAL: ResidenceKind.REGISTERED,
    Origin.PROVINCE: ResidenceKind.RESIDENT,
    Origin.HUBEI: ResidenceKind.TEMPORARY,
}


def chinese_number(n: int) -> str:
    """``12`` → ``十二`` (1–99), for group names."""
    tens, units = divmod(n, 10)
    digits = names.CHINESE_NUMERALS
    head = "" if tens == 0 else ("十" if tens == 1 else digits[tens] + "十")
    return head + (digits[units] if units else "")


class PeopleFactory:
    """Draws people from one seeded random generator; every ID number and mobile is unique."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._id_bodies: set[str] = set()
        self._phones: set[str] = set()
        surnames = [(s, w) for w, chars in names.SURNAMES_BY_WEIGHT.items() for s in chars]
        self._surnames = [s for s, _ in surnames]
        self._surname_cum = list(accumulate(w for _, w in surnames))
        self._regions_cache: dict[tuple[Origin, int], list[str]] = {}

    # --- single fields ---------------------------------------------------------------------

    def surname(self) -> str:
        return self.rng.choices(self._surnames, cum_weights=self._surname_cum)[0]

    def given_name(self, gender: str, birth_year: int) -> str:
        old = birth_year < OLD_GENERATION_BEFORE
        if gender == Gender.MALE:
            chars = names.GIVEN_MALE_OLD if old else names.GIVEN_MALE_YOUNG
        else:
            chars = names.GIVEN_FEMALE_OLD if old else names.GIVEN_FEMALE_YOUNG
        length = 1 if self.rng.random() < 0.25 else 2
        return "".join(self.rng.choice(chars) for _ in range(length))

    def name(self, gender: str, birth_year: int, surname: str | None = None) -> str:
        return (surname or self.surname()) + self.given_name(gender, birth_year)

    def birth_date(self, age: int) -> datetime.date:
        days = age * 365 + age // 4 + self.rng.randrange(365)
        return REFERENCE_DATE - datetime.timedelta(days=days)

    def _regions(self, origin: Origin, year: int) -> list[str]:
        key = (origin, year)
        if key not in self._regions_cache:
            self._regions_cache[key] = [
                r.code for r in _REGIONS[origin] if r.first_year <= year <= r.last_year
            ]
        return self._regions_cache[key]

    def id_number(self, origin: Origin, birth: datetime.date, gender: str) -> str:
        """A GB 11643 number: a region in force in the birth year, the birth date, an order
        code odd for men and even for women, and the ISO 7064 check character."""
        regions = self._regions(origin, birth.year)
        parity = 1 if gender == Gender.MALE else 0
        while True:
            order = self.rng.randrange(500) * 2 + parity
            body = f"{self.rng.choice(regions)}{birth:%Y%m%d}{order:03d}"
            if body not in self._id_bodies:
                self._id_bodies.add(body)
                # calc_check_digit expects a full number and ignores its last character.
                return body + ric.calc_check_digit(body + "0")

    def mobile(self) -> str:
        while True:
            number = f"{self.rng.choice(names.MOBILE_PREFIXES)}{self.rng.randrange(10**8):08d}"
            if number not in self._phones:
                self._phones.add(number)
                return number

    # --- people and households -------------------------------------------------------------

    def person(
        self,
        *,
        age: int,
        gender: str,
        origin: Origin,
        relation: str,
        surname: str | None = None,
    ) -> ResidentData:
        birth = self.birth_date(age)
        # Most adults carry a phone; young children and some of the very old do not.
        has_phone = age >= 14 and self.rng.random() < (0.97 if age < 75 else 0.6)
        return ResidentData(
            name=self.name(gender, birth.year, surname),
            id_number=self.id_number(origin, birth, gender),
            phone=self.mobile() if has_phone else "",
            gender=gender,
            birth_date=birth,
            relation=relation,
            residence=_RESIDENCE[origin],
        )

    def household_size(self) -> int:
        return self.rng.choices(HOUSEHOLD_SIZES, weights=HOUSEHOLD_SIZE_WEIGHTS)[0]

    def household_origin(self, community: bool) -> Origin:
        roll = self.rng.random()
        migrants = 0.25 if community else 0.1
        if roll < migrants * 0.85:
            return Origin.PROVINCE
        if roll < migrants:
            return Origin.HUBEI
        return Origin.LOCAL

    def household(self, size: int, origin: Origin) -> list[ResidentData]:
        """A household of ``size``: a head, then a spouse, children and parents as size allows."""
        rng = self.rng
        # Who lives with the head, by household size.
        shape = {
            1: (),
            2: rng.choice(((Relation.SPOUSE,), (Relation.CHILD,), (Relation.PARENT,))),
            3: rng.choice(((Relation.SPOUSE, Relation.CHILD), (Relation.SPOUSE, Relation.PARENT))),
            4: rng.choice(
                (
                    (Relation.SPOUSE, Relation.CHILD, Relation.CHILD),
                    (Relation.SPOUSE, Relation.CHILD, Relation.PARENT),
                )
            ),
            5: (Relation.SPOUSE, Relation.CHILD, Relation.CHILD, Relation.PARENT),
            6: (Relation.SPOUSE, Relation.CHILD, Relation.CHILD, Relation.PARENT, Relation.PARENT),
        }[size]
        has_children = Relation.CHILD in shape
        has_parents = Relation.PARENT in shape
        if has_parents:
            head_age = rng.randint(26, 52)
        elif has_children:
            head_age = rng.randint(26, 62)
        else:
            head_age = rng.randint(20, 85)
        couple = Relation.SPOUSE in shape
        head_male = rng.random() < (0.88 if couple else 0.6)
        head_gender = Gender.MALE if head_male else Gender.FEMALE
        head = self.person(age=head_age, gender=head_gender, origin=origin, relation=Relation.HEAD)
        own_surname = head.name[0]
        # Children take the father's surname: the head's, or the husband's if the head is a wife.
        spouse_surname = self.surname()
        family = spouse_surname if couple and not head_male else own_surname
        members = [head]
        surname: str | None
        for relation in shape:
            if relation == Relation.SPOUSE:
                gap = rng.randint(-2, 5)
                age = max(20, head_age - gap if head_male else head_age + gap)
                gender = Gender.FEMALE if head_male else Gender.MALE
                surname = spouse_surname
            elif relation == Relation.CHILD:
                age = max(0, head_age - rng.randint(22, 34))
                gender = rng.choice((Gender.MALE, Gender.FEMALE))
                surname = family
            else:  # the head's own father, then mother
                age = min(98, head_age + rng.randint(22, 32))
                father_present = any(m.relation == Relation.PARENT for m in members)
                gender = Gender.FEMALE if father_present else Gender.MALE
                surname = own_surname if gender == Gender.MALE else None
            members.append(
                self.person(
                    age=age, gender=gender, origin=origin, relation=relation, surname=surname
                )
            )
        return members
