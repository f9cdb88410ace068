"""``reissue users``: add, list and disable the volunteer accounts of a library."""

from __future__ import annotations

import sys

import click

from .accounts import ROLES, add_user, set_disabled, users, valid_name
from .errors import ReissueError
from .index import Library


@click.group("users")
def users_command():
    """Volunteer accounts of a library (reviewers and moderators) for `reissue serve --accounts`."""


@users_command.command("add")
@click.argument("name")
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False), help="The library file.")
@click.option("--role", type=click.Choice(ROLES), default="reviewer", show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
def users_add(name, db_path, role, password_stdin):
    """Add NAME (or change its password and role). Asks for the password unless --password-stdin."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        lib = Library(db_path)
        try:
            add_user(lib, name, password, role)
        finally:
            lib.close()
    except ReissueError as exc:
        click.echo(f"reissue: error: {exc}", err=True)
        raise SystemExit(exc.exit_code)
    click.echo(f"{role} {valid_name(name)} saved in {db_path}")


@users_command.command("list")
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False, exists=True))
def users_list(db_path):
    """List the accounts."""
    lib = Library(db_path)
    try:
        for u in users(lib):
            state = "\tdisabled" if u["disabled"] else ""
            click.echo(f"{u['name']}\t{u['role']}\t{u['created']}{state}")
    finally:
        lib.close()


@users_command.command("disable")
@click.argument("name")
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False, exists=True))
def users_disable(name, db_path):
    """Disable NAME (its sessions end; its decisions stay)."""
    lib = Library(db_path)
    try:
        if not set_disabled(lib, name):
            click.echo(f"reissue: error: no user {name!r}", err=True)
            raise SystemExit(2)
    finally:
        lib.close()
    click.echo(f"{name} disabled")
