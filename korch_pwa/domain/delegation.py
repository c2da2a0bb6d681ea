"""Who may manage whose account: by role rank and by area.

A person manages the roles below their own, inside their own area: the
department (and admin) the province officers and everyone under them, a
province officer the district officers, subdistrict officers and members of
the province, a district officer the subdistrict officers and members of the
district. Nobody manages their own rank or above, so nobody can give
themselves or a colleague more than they have. Subdistrict officers and
members manage nobody. Admin accounts are made with the CLI only.
"""

from .roles import GRANTS, SCOPE_LENGTH, Permission, Role, check_scopes, covers_country, in_scope

# Low to high; an account is managed only from a strictly higher rank.
RANK = [Role.MEMBER, Role.SUBDISTRICT_OFFICER, Role.DISTRICT_OFFICER,
        Role.PROVINCE_OFFICER, Role.DEPARTMENT, Role.ADMIN]


def rank(role):
    """Return the rank of ``role`` (member 0 ... admin 5)."""
    return RANK.index(Role(role))


def assignable_roles(actor_role):
    """Return the roles ``actor_role`` may give, highest first (admin is never given)."""
    if Role(actor_role) not in GRANTS[Permission.MANAGE_PEOPLE]:
        return []
    below = RANK[:rank(actor_role)]
    return [role for role in reversed(below) if role != Role.ADMIN]


def area_inside(actor_role, actor_scopes, target_role, target_scopes):
    """Return True when every area of the target lies inside the actor's area.

    A country-wide target (department) is inside only a country-wide actor.
    """
    if covers_country(target_role):
        return covers_country(actor_role)
    return bool(target_scopes) and all(
        in_scope(actor_role, actor_scopes, code) for code in target_scopes)


def may_manage(actor_role, actor_scopes, target_role, target_scopes):
    """Return True when the actor may see and change an account with this role and area."""
    return Role(target_role) in assignable_roles(actor_role) and area_inside(
        actor_role, actor_scopes, target_role, target_scopes)


def assignment_problems(actor_role, actor_scopes, target_role, target_scopes):
    """Return the problems (codes) with giving ``target_role`` over ``target_scopes``.

    ``role``: the actor may not give this role; ``scopes``: the areas do not fit
    the role (count or level); ``outside``: an area lies outside the actor's.
    """
    if Role(target_role) not in assignable_roles(actor_role):
        return ["role"]
    problems = ["scopes"] if check_scopes(target_role, list(target_scopes)) else []
    if not problems and not area_inside(actor_role, actor_scopes, target_role, target_scopes):
        problems.append("outside")
    return problems


def scope_length(role):
    """Return the length of the area codes ``role`` is given, or None for the whole country."""
    return SCOPE_LENGTH.get(Role(role))
