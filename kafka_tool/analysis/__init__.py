"""The analysis: the case graph, what personas can reach, and every finding kind.

One module per family of findings, as in ``networkx.algorithms``:

- :mod:`.graph` builds the typed case graph and the indexes the passes share;
- :mod:`.personas` computes what each persona can obtain, its plan and burden;
- :mod:`.cycles` finds circular dependencies and referral loops;
- :mod:`.reach` finds dead ends, unobtainable documents, unreachable goals,
  futile referrals and single points of failure;
- :mod:`.regions` is the exact algebra of the attribute space;
- :mod:`.eligibility` finds coverage gaps and conflicting rules;
- :mod:`.burden` finds repeated requests, expiry traps and missing owners;
- :mod:`.journeys` finds loops in reconstructed journeys;
- :mod:`.engine` runs them all and applies the case's accepted findings.
"""
