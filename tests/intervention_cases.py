"""A small case to apply interventions to, shared by the intervention and ``compare`` tests.

The base case works: Ann (30, holds a passport) registers an address at the
town hall, opens a bank account with it, and applies for a benefit with the
account. Each test replaces the pieces it needs (a touchpoint, the rules,
the personas) and writes the interventions it applies.
"""

from __future__ import annotations

from dataclasses import dataclass

HEADER = """\
format: kafka-case/1
id: iv-test
title: Interventions under test
attributes:
  age: {type: integer, min: 0, max: 120}
actors:
  - {id: town, name: Town Hall, kind: municipality}
  - {id: bank, name: The Bank, kind: bank}
  - {id: agency, name: Benefits Agency, kind: executive_agency}
  - {id: ministry, name: Ministry of Social Affairs, kind: ministry}
documents:
  - {id: passport, name: Passport, kind: proof}
  - {id: address, name: Address registration, kind: registration}
  - {id: account, name: Bank account, kind: service}
  - {id: payslip, name: Payslip, kind: proof}
  - {id: digid, name: DigiD, kind: proof}
  - {id: benefit, name: Benefit, kind: payment}
"""

RULES = """\
rules:
  - id: benefit_age
    name: The benefit is for adults
    owner: ministry
    when: {age: {min: 18}}
"""

REGISTER = """\
  - id: register
    name: Register an address
    actor: town
    requires: [passport]
    produces: [address]
    days: 5
"""

#: Registering also needs a bank account: the account/address circle.
REGISTER_NEEDS_ACCOUNT = REGISTER.replace("requires: [passport]", "requires: [passport, account]")

OPEN_ACCOUNT = """\
  - id: open_account
    name: Open a bank account
    actor: bank
    requires: [address]
    produces: [account]
    refers_to: [register]
    days: 3
"""

APPLY_BENEFIT = """\
  - id: apply_benefit
    name: Apply for the benefit
    actor: agency
    rules: [benefit_age]
    requires: [account]
    produces: [benefit]
    days: 10
"""

#: The benefit also needs a payslip, which no touchpoint issues.
APPLY_BENEFIT_WITH_PAYSLIP = APPLY_BENEFIT.replace("requires: [account]", "requires: [account, payslip]")

#: A second way to the benefit, which needs a DigiD nobody can get, and refers nowhere.
BENEFIT_PORTAL = """\
  - id: benefit_portal
    name: Apply for the benefit online
    actor: agency
    channel: portal
    requires: [digid]
    produces: [benefit]
"""

PERSONAS = """\
personas:
  - id: ann
    name: Ann
    attributes: {age: 30}
    has: [passport]
    goals: [benefit]
"""


#: Six interventions to rank, listed so that neither the case order nor the alphabet is the ranking.
#: Worked out by hand: the payslip office unblocks Ann (50 a month: 600 people a year) and resolves
#: two critical findings; with the old form gone too, three. DigiD and the old form unblock only
#: Carl (no population: one person) but resolve three critical findings. The old form alone
#: resolves one and unblocks nobody. A shorter registration form saves Bob's 200 people a year
#: 1.5 hours each (300 hours); registering the same day saves days, not hours.
RANKED_BY_PEOPLE = """\
format: kafka-case/1
id: ranked
title: Interventions ranked by the people they unblock
attributes:
  age: {type: integer, min: 0, max: 120}
actors:
  - {id: town, name: Town Hall, kind: municipality}
  - {id: bank, name: The Bank, kind: bank}
  - {id: agency, name: Benefits Agency, kind: executive_agency}
  - {id: ministry, name: Ministry of Social Affairs, kind: ministry}
documents:
  - {id: passport, name: Passport, kind: proof}
  - {id: address, name: Address registration, kind: registration}
  - {id: account, name: Bank account, kind: service}
  - {id: payslip, name: Payslip, kind: proof}
  - {id: digid, name: DigiD, kind: proof}
  - {id: benefit, name: Benefit, kind: payment}
  - {id: old_form, name: Old form, kind: proof}
  - {id: receipt, name: Archive receipt, kind: decision}
rules:
  - id: benefit_age
    name: The benefit is for adults
    owner: ministry
    when: {age: {min: 18}}
  - id: youth
    name: Online applications are for minors
    owner: ministry
    when: {age: {max: 17}}
touchpoints:
  - id: register
    name: Register an address
    actor: town
    requires: [passport]
    produces: [address]
    days: 5
    effort_hours: 2
  - id: open_account
    name: Open a bank account
    actor: bank
    requires: [address]
    produces: [account]
    days: 3
    effort_hours: 1
  - id: apply_benefit
    name: Apply for the benefit
    actor: agency
    rules: [benefit_age]
    requires: [account, payslip]
    produces: [benefit]
    days: 10
    effort_hours: 3
  - id: benefit_portal
    name: Apply for the benefit online
    actor: agency
    rules: [youth]
    requires: [digid]
    produces: [benefit]
  - id: archive
    name: Hand in the old form
    actor: town
    requires: [old_form]
    produces: [receipt]
personas:
  - id: ann
    name: Ann
    attributes: {age: 30}
    has: [passport]
    goals: [benefit]
    population: {count: 50, per: month}
  - id: carl
    name: Carl
    attributes: {age: 16}
    has: [passport]
    goals: [benefit]
  - id: bob
    name: Bob
    attributes: {age: 40}
    has: [passport]
    goals: [account]
    population: {count: 200}
interventions:
  - id: payslip_office
    title: An office that issues income statements
    owner: agency
    changes:
      - add_touchpoint: {id: income_desk, name: Income desk, actor: agency, produces: [payslip]}
  - id: digid_and_form
    title: The town hall issues DigiD, and takes no more old forms
    owner: town
    changes:
      - add_produces: {touchpoint: register, document: digid}
      - remove_requirement: {touchpoint: archive, document: old_form}
  - id: payslip_office_and_form
    title: An income office, and no more old forms
    owner: agency
    changes:
      - add_touchpoint: {id: income_office, name: Income office, actor: agency, produces: [payslip]}
      - remove_requirement: {touchpoint: archive, document: old_form}
  - id: form_only
    title: No more old forms
    owner: town
    changes:
      - remove_requirement: {touchpoint: archive, document: old_form}
  - id: shorter_form
    title: A shorter registration form
    owner: town
    changes:
      - set_effort: {touchpoint: register, effort_hours: 0.5}
  - id: quicker
    title: Registration the same day
    owner: town
    changes:
      - set_days: {touchpoint: register, days: 0}
"""

#: The ranking of :data:`RANKED_BY_PEOPLE`, best first.
RANKED_BY_PEOPLE_ORDER = ["payslip_office_and_form", "payslip_office", "digid_and_form", "form_only", "shorter_form",
                          "quicker"]


def make(
    interventions: str = "",
    touchpoints: tuple[str, ...] = (REGISTER, OPEN_ACCOUNT, APPLY_BENEFIT),
    rules: str = RULES,
    personas: str = PERSONAS,
    extra: str = "",
) -> str:
    """The case's YAML text; ``interventions`` are the items under ``interventions:``."""
    text = HEADER + rules + "touchpoints:\n" + "".join(touchpoints) + personas + extra
    if interventions:
        text += "interventions:\n" + interventions
    return text


def line_of(text: str, needle: str) -> int:
    """The 1-based number of the (first) line holding ``needle``."""
    return text.count("\n", 0, text.index(needle)) + 1


@dataclass(frozen=True)
class Misuse:
    """A change that does not fit the case, as the second change of intervention ``misfit``."""

    name: str
    kind: str
    change: str
    message: str
    #: the change before it (the same change, for "already ..." misuses)
    first: str = "add_referral: {touchpoint: apply_benefit, to: open_account}"
    #: what the loader says, for a dangling id it refuses before any change is applied
    load_message: str = ""
    #: the hint that applying the change gives (a did-you-mean), where it matters
    hint: str = ""

    def text(self) -> str:
        return make(
            "  - id: misfit\n"
            "    title: A change that does not fit\n"
            "    owner: town\n"
            "    changes:\n"
            f"      - {self.first}\n"
            f"      - {self.change}\n"
        )

    def line(self, text: str) -> int:
        """The line of the bad (second, last) change."""
        return text.count("\n", 0, text.rindex(f"      - {self.change}")) + 1


#: Misuses the loader lets through (every id exists) and applying the intervention refuses.
APPLY_MISUSES = [
    Misuse(
        "remove_requirement not there",
        "remove_requirement",
        "remove_requirement: {touchpoint: register, document: account}",
        "touchpoint 'register' does not require 'account'",
    ),
    Misuse(
        "add_requirement already there",
        "add_requirement",
        "add_requirement: {touchpoint: register, document: passport}",
        "touchpoint 'register' already requires 'passport'",
    ),
    Misuse(
        "add_produces already produced",
        "add_produces",
        "add_produces: {touchpoint: register, document: address}",
        "touchpoint 'register' already produces 'address'",
    ),
    Misuse(
        "remove_produces not produced",
        "remove_produces",
        "remove_produces: {touchpoint: register, document: account}",
        "touchpoint 'register' does not produce 'account'",
    ),
    Misuse(
        "add_referral already there",
        "add_referral",
        "add_referral: {touchpoint: open_account, to: register}",
        "touchpoint 'open_account' already refers to 'register'",
    ),
    Misuse(
        "remove_referral not there",
        "remove_referral",
        "remove_referral: {touchpoint: register, to: open_account}",
        "touchpoint 'register' does not refer to 'open_account'",
    ),
    Misuse(
        "exchange of a document not required",
        "exchange",
        "exchange: {touchpoint: register, document: account}",
        "touchpoint 'register' does not require 'account', so there is nothing to exchange",
    ),
    Misuse(
        "exchange twice",
        "exchange",
        "exchange: {touchpoint: register, document: passport}",
        "touchpoint 'register' already fetches 'passport' itself",
        first="exchange: {touchpoint: register, document: passport}",
    ),
    Misuse(
        "add_touchpoint twice",
        "add_touchpoint",
        "add_touchpoint: {id: new_desk, name: A new desk, actor: town}",
        "id 'new_desk' is already used in the case",
        first="add_touchpoint: {id: new_desk, name: A new desk, actor: town}",
    ),
    Misuse(
        "remove_touchpoint twice",
        "remove_touchpoint",
        "remove_touchpoint: register",
        "there is no touchpoint 'register'",
        first="remove_touchpoint: register",
    ),
    Misuse(
        "change to a touchpoint removed before",
        "set_actor",
        "set_actor: {touchpoint: register, actor: bank}",
        "there is no touchpoint 'register'",
        first="remove_touchpoint: register",
    ),
    Misuse(
        "set_days of a touchpoint removed before",
        "set_days",
        "set_days: {touchpoint: register, days: 1}",
        "there is no touchpoint 'register'",
        first="remove_touchpoint: register",
    ),
    Misuse(
        "add_outcome to a touchpoint removed before",
        "add_outcome",
        "add_outcome: {touchpoint: register, doc: payslip, when: {age: {min: 18}}}",
        "there is no touchpoint 'register'",
        first="remove_touchpoint: register",
    ),
    Misuse(
        "set_effort of a document not required",
        "set_effort",
        "set_effort: {touchpoint: register, document: account, effort_hours: 1}",
        "touchpoint 'register' does not require 'account'",
        hint="requires: passport",
    ),
    Misuse(
        "set_window of a document not required",
        "set_window",
        "set_window: {touchpoint: open_account, document: digid, within_days: 3}",
        "touchpoint 'open_account' does not require 'digid'",
        hint="requires: address",
    ),
]

#: Misuses with a dangling id: the loader refuses them already, at the change's line.
LOAD_MISUSES = [
    Misuse(
        "add_referral to an unknown touchpoint",
        "add_referral",
        "add_referral: {touchpoint: register, to: nowhere}",
        "there is no touchpoint 'nowhere'",
        load_message="unknown touchpoint 'nowhere'",
    ),
    Misuse(
        "set_when of an unknown rule",
        "set_when",
        "set_when: {rule: benefit_agee, when: {age: {min: 16}}}",
        "there is no rule 'benefit_agee'",
        load_message="unknown rule 'benefit_agee'",
    ),
    Misuse(
        "set_actor to an unknown actor",
        "set_actor",
        "set_actor: {touchpoint: register, actor: townhall}",
        "there is no actor 'townhall'",
        load_message="unknown actor 'townhall'",
    ),
    Misuse(
        "add_touchpoint with an existing id",
        "add_touchpoint",
        "add_touchpoint: {id: register, name: Another desk, actor: town}",
        "id 'register' is already used in the case",
        load_message="add_touchpoint: id 'register' is already used in the case",
    ),
    Misuse(
        "remove_touchpoint unknown",
        "remove_touchpoint",
        "remove_touchpoint: regster",
        "there is no touchpoint 'regster'",
        load_message="unknown touchpoint 'regster'",
    ),
    Misuse(
        "set_days of an unknown touchpoint",
        "set_days",
        "set_days: {touchpoint: regster, days: 1}",
        "there is no touchpoint 'regster'",
        load_message="unknown touchpoint 'regster'",
        hint="did you mean 'register'?",
    ),
    Misuse(
        "set_cost of an unknown touchpoint",
        "set_cost",
        "set_cost: {touchpoint: open_acount, cost: 0}",
        "there is no touchpoint 'open_acount'",
        load_message="unknown touchpoint 'open_acount'",
        hint="did you mean 'open_account'?",
    ),
    Misuse(
        "set_effort of an unknown touchpoint",
        "set_effort",
        "set_effort: {touchpoint: regster, effort_hours: 2}",
        "there is no touchpoint 'regster'",
        load_message="unknown touchpoint 'regster'",
        hint="did you mean 'register'?",
    ),
    Misuse(
        "set_effort of an unknown document",
        "set_effort",
        "set_effort: {touchpoint: register, document: pasport, effort_hours: 2}",
        "touchpoint 'register' does not require 'pasport'",
        load_message="unknown document 'pasport'",
        hint="did you mean 'passport'?",
    ),
    Misuse(
        "set_window of an unknown touchpoint",
        "set_window",
        "set_window: {touchpoint: open_acount, document: address, within_days: 3}",
        "there is no touchpoint 'open_acount'",
        load_message="unknown touchpoint 'open_acount'",
        hint="did you mean 'open_account'?",
    ),
    Misuse(
        "set_value of an unknown document",
        "set_value",
        "set_value: {document: benefitt, value: {amount: 300, per: month}}",
        "there is no document 'benefitt'",
        load_message="unknown document 'benefitt'",
        hint="did you mean 'benefit'?",
    ),
    Misuse(
        "set_owner of an unknown rule",
        "set_owner",
        "set_owner: {rule: benefit_agee, owner: ministry}",
        "there is no rule 'benefit_agee'",
        load_message="unknown rule 'benefit_agee'",
        hint="did you mean 'benefit_age'?",
    ),
    Misuse(
        "set_owner to an unknown actor",
        "set_owner",
        "set_owner: {rule: benefit_age, owner: ministy}",
        "there is no actor 'ministy'",
        load_message="unknown actor 'ministy'",
        hint="did you mean 'ministry'?",
    ),
    Misuse(
        "add_outcome to an unknown touchpoint",
        "add_outcome",
        "add_outcome: {touchpoint: regster, doc: payslip, when: {age: {min: 18}}}",
        "there is no touchpoint 'regster'",
        load_message="unknown touchpoint 'regster'",
        hint="did you mean 'register'?",
    ),
]
