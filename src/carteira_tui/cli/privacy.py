"""`carteira privacy export|forget`: a person's data as JSON, and their erasure (LGPD).

CLIENT is the client's code (external id), or `#` followed by its internal id; a code merged
away into another client (`carteira clean`) names that client, and the command says so.
"""

from __future__ import annotations

from pathlib import Path

import click

from carteira_tui.cli import main
from carteira_tui.cli._common import db_option, db_path_from, force_option
from carteira_tui.model import cents_to_brl
from carteira_tui.services import privacy
from carteira_tui.services.client_codes import client_key, resolve_client
from carteira_tui.vocab import cli as words


@main.group("privacy")
def privacy_group() -> None:
    """LGPD: exportar os dados de uma pessoa ou apagá-la (anonimizar).

    Exemplo:

        carteira privacy export C0000042 --output maria.json
    """


@privacy_group.command("export")
@click.argument("client")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Arquivo JSON a gravar (sem ele, o JSON vai para a saída padrão).",
)
@force_option
@db_option
@click.pass_context
def export_command(
    ctx: click.Context, client: str, output: Path | None, force: bool, db: str | None
) -> None:
    """Exporta tudo o que o banco guarda sobre uma pessoa, em JSON (portabilidade, LGPD).

    Inclui o cadastro, o consentimento por canal, pedidos, interações, tarefas, a auditoria e
    o último resultado da segmentação. O arquivo é criado legível só pelo seu dono.

    Exemplo:

        carteira privacy export C0000042 --output maria.json
    """
    db_path = db_path_from(ctx)
    resolved = resolve_client(db_path, client_key(client))
    if resolved is not None and resolved.merged_note:
        click.echo(resolved.merged_note, err=True)
    result = privacy.export_person(db_path, client=client_key(client), output=output, force=force)
    if output is None:
        click.echo(result.to_json())
        return
    click.echo(words.person_exported(client, output), err=True)


@privacy_group.command("forget")
@click.argument("client")
@click.option("--yes", is_flag=True, help="Não pedir confirmação.")
@click.option(
    "--only-this",
    is_flag=True,
    help="Apagar só este cadastro, não os outros da mesma pessoa (mesmo CPF/CNPJ ou e-mail).",
)
@db_option
@click.pass_context
def forget_command(
    ctx: click.Context, client: str, yes: bool, only_this: bool, db: str | None
) -> None:
    """Apaga uma pessoa a pedido (LGPD): anonimiza o cadastro e mantém os pedidos como receita.

    Todos os cadastros da pessoa (o pedido e os de mesmo CPF/CNPJ ou e-mail, listados antes)
    perdem nome, documento, contatos, nascimento, observações e o texto das interações; cada
    código vira `anon-<n>`. Nenhuma cópia de antes é guardada; o cache, as cópias de segurança
    que o carteira fez ao lado do banco e os arquivos de linhas rejeitadas também são limpos.
    Uma importação futura com o mesmo documento, e-mail ou código é recusada. Não tem como
    desfazer.

    Exemplo:

        carteira privacy forget C0000042 --yes
    """
    db_path = db_path_from(ctx)
    resolved = resolve_client(db_path, client_key(client))
    if resolved is not None and resolved.merged_note:
        click.echo(resolved.merged_note)
        client = resolved.external_id  # the person is the survivor's record
    records = privacy.records_of_person(db_path, client=client_key(client))
    if only_this:
        records = records[:1]
    click.echo(words.RECORDS_TO_ERASE)
    for record in records:
        click.echo(f"  {record.external_id}  {record.name}  ({record.reason})")
    if not yes:
        click.confirm(
            words.forget_question(len(records)),
            abort=True,
        )
    done = privacy.forget_person(
        db_path, client=client_key(client), include_same_person=not only_this
    )
    click.echo(
        words.forgotten(
            client, done.external_id, done.orders_kept, cents_to_brl(done.revenue_kept_cents)
        )
    )
    if done.others:
        click.echo(words.others_forgotten(", ".join(done.others)))
    if done.files_cleaned:
        click.echo(words.files_cleaned(done.files_cleaned))
