"""Contact-centre roster engine: ProblemData -> constructive start -> LNS with CP-SAT -> Result.

Public entry points: :func:`scheduler.roster.problem_data.build_problem`,
:func:`scheduler.roster.solve.solve`, :func:`scheduler.roster.validate.validate_roster` and
:func:`scheduler.roster.kpis.coverage_frame`.
"""
