"""`carteira client …`: show one client's card and act on it (log a contact, note, edit, follow-up).

Each command parses, calls one function of `services.clients` and renders; CLIENT is the client's
code (external id), or `#` followed by its internal id.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import click

from carteira_tui.cli import main
from carteira_tui.cli._common import (
    as_of_option,
    db_option,
    db_path_from,
    echo_json,
    parse_as_of,
    settings_or_fail,
)
from carteira_tui.model import cents_to_brl, format_date_br
from carteira_tui.services import clients as service
from carteira_tui.services.client_codes import client_key
from carteira_tui.services.clients import ClientCard
from carteira_tui.vocab import cli as words
from carteira_tui.vocab import merged_into


@main.group("client")
def client_group() -> None:
    """Cliente: a ficha de um cliente e as ações sobre ele.

    Exemplo:

        carteira client show C0000042
    """


@client_group.command("show")
@click.argument("client")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Formato da saída.",
)
@as_of_option
@db_option
@click.pass_context
def show_command(
    ctx: click.Context, client: str, fmt: str, as_of: str | None, db: str | None
) -> None:
    """Mostra a ficha: cadastro completo, pedidos com o gasto mensal, tarefas e interações.

    Exemplo:

        carteira client show C0000042 --as-of 23/11/2026
    """
    card = service.client_card(db_path_from(ctx), client_key(client), as_of=parse_as_of(as_of))
    if fmt == "json":
        echo_json(_card_json(card))
        return
    _echo_card(card)


def _card_json(card: ClientCard) -> dict[str, Any]:
    return {
        "client_id": card.external_id,
        "merged_code": card.merged_code,
        "profile": {k: v for k, v in card.profile.items() if k != "id"},
        "order_count": card.order_count,
        "monetary_cents": card.monetary_cents,
        "monthly_spend": card.monthly_spend.to_dicts(),
        "orders": card.orders.to_dicts(),
        "open_tasks": card.open_tasks.to_dicts(),
        "interactions": card.interactions.to_dicts(),
        "quality": None
        if card.quality is None
        else {
            "completeness": card.quality.completeness,
            "issues": [
                {"field": i.field, "value": i.raw_value, "issue": i.label}
                for i in card.quality.issues
            ],
        },
    }


def _echo_card(card: ClientCard) -> None:
    click.echo(f"{card.name} ({card.external_id})")
    if card.merged_code:
        click.echo(merged_into(card.merged_code, card.external_id))
    click.echo("")
    click.echo("Cadastro")
    for field, label in service.FIELD_LABELS.items():
        click.echo(f"  {label:<22} {service.display_value(field, card.profile.get(field))}")
    click.echo("")
    click.echo("Pedidos")
    if card.order_count:
        ticket = round(card.monetary_cents / card.order_count)
        spend = card.monthly_spend.get_column("amount_cents").to_list()
        first = card.monthly_spend.item(0, "month")
        last = card.monthly_spend.item(card.monthly_spend.height - 1, "month")
        click.echo(
            words.orders_totals(
                card.order_count, cents_to_brl(card.monetary_cents), cents_to_brl(ticket)
            )
        )
        click.echo(
            words.monthly_spend(
                service.month_label(first),
                service.month_label(last),
                service.sparkline(spend),
                cents_to_brl(max(spend)),
            )
        )
        for order in card.orders.head(10).iter_rows(named=True):
            click.echo(
                f"  {format_date_br(order['date'])}  {cents_to_brl(order['amount_cents']):>14}"
                f"  {order['channel'] or ''}".rstrip()
            )
    else:
        click.echo(words.NO_ORDERS)
    click.echo("")
    click.echo(words.OPEN_TASKS)
    for task in card.open_tasks.iter_rows(named=True):
        click.echo(
            f"  {task['id']}  {format_date_br(task['due'])}  {task['priority']}  {task['title']}"
            f"  {task['owner'] or ''}".rstrip()
        )
    if card.open_tasks.is_empty():
        click.echo("  nenhuma")
    click.echo("")
    click.echo("Interações")
    for row in card.interactions.iter_rows(named=True):
        parts = " · ".join(p for p in (row["channel"], row["kind"], row["outcome"]) if p)
        note = f" — {row['note']}" if row["note"] else ""
        click.echo(f"  {format_date_br(row['at'])}  {parts}{note}")
    if card.interactions.is_empty():
        click.echo("  nenhuma")
    if card.quality is not None:
        click.echo("")
        click.echo(f"Qualidade: completude {card.quality.completeness}%")
        for issue in card.quality.issues:
            click.echo(f"  {issue.field}: {issue.label} ({issue.raw_value or '—'})")


@client_group.command("log")
@click.argument("client")
@click.option("--outcome", required=True, metavar="TEXTO", help="Resultado do contato.")
@click.option("--channel", metavar="CANAL", help="WhatsApp, telefone, e-mail, SMS ou visita.")
@click.option("--kind", metavar="TIPO", help="Tipo do contato (Oferta, Pós-venda…).")
@click.option("--note", metavar="TEXTO", help="Observação.")
@click.option("--at", "at", metavar="DATA", help="Data do contato (padrão: agora).")
@db_option
@click.pass_context
def log_command(
    ctx: click.Context,
    client: str,
    outcome: str,
    channel: str | None,
    kind: str | None,
    note: str | None,
    at: str | None,
    db: str | None,
) -> None:
    """Registra um contato (ligação, mensagem, visita) no histórico do cliente.

    Exemplo:

        carteira client log C0000042 --channel whatsapp --kind Oferta --outcome Atendeu
    """
    from carteira_tui.services.today import local_now  # Hoje: "now" is Brazil's clock

    when = (
        datetime.combine(parse_as_of(at), datetime.min.time())
        if at
        else local_now(settings_or_fail())
    )
    logged = service.log_interaction(
        db_path_from(ctx),
        client_key(client),
        at=when,
        outcome=outcome,
        channel=channel,
        kind=kind,
        note=note,
    )
    click.echo(words.contact_logged(format_date_br(logged.at), logged.interaction_id))


@client_group.command("note")
@click.argument("client")
@click.argument("text")
@db_option
@click.pass_context
def note_command(ctx: click.Context, client: str, text: str, db: str | None) -> None:
    """Acrescenta uma observação datada às notas do cliente.

    Exemplo:

        carteira client note C0000042 "prefere ligação de manhã"
    """
    from carteira_tui.services.today import local_today  # Hoje: "today" is Brazil's date

    service.add_note(
        db_path_from(ctx), client_key(client), text, on=local_today(settings_or_fail())
    )
    click.echo(words.NOTE_ADDED)


@client_group.command("set")
@click.argument("client")
@click.argument("field", metavar="CAMPO")
@click.argument("value", metavar="VALOR")
@db_option
@click.pass_context
def set_command(ctx: click.Context, client: str, field: str, value: str, db: str | None) -> None:
    """Altera um campo do cadastro, validado (CPF/CNPJ, e-mail, telefone, UF, CEP, datas…).

    CAMPO: name, document, email, phone, channel_pref, consent_email, consent_phone,
    consent_whatsapp, consent_sms, opt_out, city, uf, cep, birth_date, gender, marital_status,
    children, life_stage, income_band, owner, pinned, delinquent, credit_restriction, tags.
    VALOR vazio ("") apaga o campo.

    Exemplo:

        carteira client set C0000042 phone "(11) 98765-4321"
    """
    edited = service.edit_field(db_path_from(ctx), client_key(client), field, value)
    click.echo(
        f"{edited.label}: {service.display_value(field, edited.before)} → "
        f"{service.display_value(field, edited.after)}"
    )


@client_group.command("follow-up")
@click.argument("client")
@click.argument("quando")
@click.option("--title", metavar="TEXTO", help="Título da tarefa (padrão: Retorno ao cliente).")
@as_of_option
@db_option
@click.pass_context
def follow_up_command(
    ctx: click.Context,
    client: str,
    quando: str,
    title: str | None,
    as_of: str | None,
    db: str | None,
) -> None:
    """Agenda um retorno: cria uma tarefa para o responsável do cliente (amanhã, +7d, seg, dd/mm).

    Exemplo:

        carteira client follow-up C0000042 +7d --title "Levar proposta"
    """
    day = parse_as_of(as_of)
    done = service.set_follow_up(
        db_path_from(ctx),
        client_key(client),
        due=service.resolve_when(quando, today=day),
        as_of=day,
        settings=settings_or_fail(),
        title=title,
    )
    click.echo(words.follow_up_set(done.due.strftime("%d/%m/%Y"), done.task_id))
