"""The CLI's pt-BR output and error sentences, by command (click's `help=` texts stay beside
their options; the shared errors and empty results are `vocab`'s own; click's own words are
`vocab.click`)."""

from __future__ import annotations

from carteira_tui.vocab import counted

STALE_SEGMENTATION = "aviso: a segmentação está desatualizada; rode `carteira segment`"
DRY_RUN_NOTHING_WRITTEN = "simulação: nada foi gravado (rode sem --dry-run para aplicar)"


def not_both(first: str, second: str) -> str:
    """Two options that exclude each other."""
    return f"use {first} ou {second}, não os dois"


def and_more(count: int, how: str = "--limit 0") -> str:
    """The line under a cut list."""
    return f"… e mais {count} (use {how} para ver todos)"


def invalid_date(text: str) -> str:
    """A date option that does not parse (`text`: the reason or the value)."""
    return f"data inválida: {text}"


# -- tasks ---------------------------------------------------------------------------------------

NO_OPEN_TASKS = "nenhuma tarefa aberta"


def tasks_generated(count: int, dry_run: bool, day: str) -> str:
    """`carteira tasks generate`'s first line."""
    verb = "seriam criadas" if dry_run else "criadas"
    return f"{count} tarefas {verb} em {day}"


def tasks_deferred(count: int) -> str:
    """Tasks left for later: owners without free capacity."""
    return f"{count} ficaram para depois: responsáveis sem capacidade livre"


def task_heading(task_id: int, title: str, client: str, code: str) -> str:
    """`carteira tasks explain`'s first line."""
    return f"tarefa {task_id}: {title} — {client} ({code})"


def task_urgency_heading(due: str, priority: str, day: str) -> str:
    """`carteira tasks explain`'s second line."""
    return f"vence {due}, prioridade {priority}, urgência em {day}:"


def task_changed(task_id: int, what: str, due: str, owner: str) -> str:
    """A task snoozed or reassigned."""
    return f"tarefa {task_id} {what}: vence {due}, responsável {owner}"


def task_done(task_id: int) -> str:
    """A task concluded."""
    return f"tarefa {task_id} concluída; contato registrado"


def follow_up_created(task_id: int) -> str:
    """The follow-up task a conclusion created."""
    return f"retorno criado: tarefa {task_id}"


def task_cancelled(task_id: int) -> str:
    """A task cancelled."""
    return f"tarefa {task_id} cancelada"


# -- today / whoami ------------------------------------------------------------------------------

TODAY_HEADERS = ["Cliente", "Nome", "Urg.", "Canal", "Cadência", "Tarefas", "Por quê"]
ME_SOURCES = {
    "CARTEIRA_USER": "da variável CARTEIRA_USER",
    "config": "do `me` no arquivo de configuração",
}


def me_from_login(login: str) -> str:
    """Where "me" came from: the login."""
    return f"do login {login!r}"


def whose(owner: str | None) -> str:
    """` de Ana` after "Hoje", or nothing."""
    return f" de {owner}" if owner else ""


def nothing_today(whose_text: str, day: str) -> str:
    """An empty queue."""
    return f"nada para hoje{whose_text} ({day})"


def today_heading(whose_text: str, day: str, clients: int, progress: str) -> str:
    """`carteira today`'s first line."""
    return f"Hoje{whose_text}, {day}: {clients} clientes com contato a fazer{progress}"


# -- watch ---------------------------------------------------------------------------------------

NO_RUNS = "nenhuma segmentação registrada: rode `carteira segment`"
ONE_RUN = "só há uma segmentação: os movimentos aparecem a partir da próxima"


def runs(count: int) -> str:
    """`1 execução`, `3 execuções`."""
    return f"{count} execução" if count == 1 else f"{count} execuções"


def settings_moves(moves: int, runs_count: int) -> str:
    """Movements caused by changing the settings, left out of the count."""
    word = "execução" if runs_count == 1 else "execuções"
    return (
        f"{moves} movimentos por mudança de configuração"
        f" ({runs_count} {word} após mudar limites ou segmentos):"
        " não são comportamento dos clientes e ficam fora da contagem abaixo"
    )


def moved(clients: int, first: str, last: str, runs_count: int) -> str:
    """How many clients moved, over which runs."""
    period = f"de {first} a {last}" if runs_count > 1 else f"na segmentação de {last}"
    return f"{clients} clientes mudaram {period} ({runs(runs_count)})"


# -- owners --------------------------------------------------------------------------------------

NO_OWNERS = "nenhum responsável cadastrado: use `carteira owners add NOME`"
NO_VALUES_WARNING = "aviso: sem segmentação, o equilíbrio é só por número de clientes"
IDLE_NEEDS_ROTATE = "--idle só vale com --rotate"


def invalid_idle(text: str) -> str:
    """`--idle` did not parse."""
    return f"prazo inválido: {text!r} (ex.: 60d, 8s, 2m)"


def owner_added(name: str, capacity: object) -> str:
    """`carteira owners add`."""
    return f"responsável {name} cadastrado (capacidade {capacity})"


def owner_set(name: str, capacity: object, active: bool) -> str:
    """`carteira owners set`."""
    state = "ativo" if active else "inativo"
    return f"responsável {name}: capacidade {capacity}, {state}"


def clients_moved(count: int, dry_run: bool, day: str) -> str:
    """`carteira owners assign`'s first line."""
    verb = "seriam movidos" if dry_run else "movidos"
    return f"{count} clientes {verb} em {day}"


def client_pinned(code: str, owner: object) -> str:
    """`carteira owners pin`."""
    return f"cliente {code} fixado em {owner}: o giro não o move"


def client_unpinned(code: str) -> str:
    """`carteira owners pin --no`."""
    return f"cliente {code} liberado: pode entrar no giro de carteira"


# -- clean ---------------------------------------------------------------------------------------

CLEAN_NEXT_STEPS = (
    "\nPara mesclar os grupos de confiança alta: carteira clean --apply"
    "\nPara normalizar os campos válidos: carteira clean --normalize"
    "\nPara arquivar os contatos parados: carteira clean --archive-stale"
)
ONE_ACTION_AT_A_TIME = (
    "use uma ação por vez: --normalize, --archive-stale, --restore, --undo, --undo-archive"
)
IMPORT_CLIENTS_FIRST = "importe os clientes antes: carteira import"
STALE_HEADERS = ["cliente", "nome", "situação", "última atividade"]
CLUSTER_HEADERS = ["grupo", "confiança", "pontos", "cliente", "nome", "", "motivos"]
ISSUE_HEADERS = ["cliente", "nome", "campo", "valor", "problema"]
CHANGE_HEADERS = ["cliente", "campo", "antes", "depois"]
MERGE_HEADERS = ["mesclagem", "fica", "mesclados", "pedidos", "interações", "tarefas"]
STAYS = "fica"
ALL_AS_JSON = "--format json para todos"
HOW_TO_WRITE_NORMALIZED = "Para gravar: carteira clean --normalize --apply"
HOW_TO_ARCHIVE = "Para arquivar (nada é apagado): carteira clean --archive-stale --apply"
NO_HIGH_GROUPS = "nenhum grupo de duplicados de confiança alta"


def expects_number(option: str, value: str) -> str:
    """An option that takes a number got something else."""
    return f"{option} espera um número, não {value!r}"


def expects_ids(option: str, value: str) -> str:
    """An option that takes ids got something else."""
    return f"{option} espera um número, uma lista (7,9) ou um intervalo (3-40), não {value!r}"


def database_missing(path: object) -> str:
    """The database file does not exist."""
    return f"banco não encontrado: {path}"


def cleaning_report(day: str, clients: str, completeness: str) -> str:
    """The cleaning report's first line."""
    return f"Relatório de limpeza em {day}: {clients} clientes, completude média {completeness}"


def duplicates(groups: str, by_level: str) -> str:
    """The report's duplicates heading."""
    return f"\nDuplicados: {groups} grupo(s) ({by_level})"


def more_groups(count: str) -> str:
    """Groups past `--limit`."""
    return f"… e mais {count} grupo(s) (use --limit)"


def invalid_fields(count: str, by_issue: str) -> str:
    """The report's invalid fields heading."""
    return f"\nCampos inválidos: {count}" + (f" ({by_issue})" if by_issue else "")


def more_rows(count: str, how: str) -> str:
    """Rows past a limit, and how to see them."""
    return f"… e mais {count} (use {how})"


def archive_undone(run_id: int, count: int) -> str:
    """`clean --undo-archive`."""
    return f"arquivamento {run_id} desfeito: {count} cliente(s) de volta"


def client_restored(code: str) -> str:
    """`clean --restore`."""
    return f"cliente {code} restaurado"


def merge_undone(merge_id: int, count: int) -> str:
    """`clean --undo` of one merge."""
    return f"mesclagem {merge_id} desfeita: {count} cliente(s) de volta"


def merges_undone(merges: str, clients: str) -> str:
    """`clean --undo` of several merges."""
    return f"{merges} mesclagens desfeitas: {clients} clientes de volta"


def normalized(clients: str, applied: bool, fields: str) -> str:
    """`clean --normalize`'s first line."""
    verb = "normalizados" if applied else "seriam normalizados (simulação, nada gravado)"
    return f"{clients} cliente(s) {verb}" + (f": {fields}" if fields else "")


def flagged_fields(count: str) -> str:
    """Invalid fields left as they are."""
    return f"{count} campo(s) inválido(s) mantidos como estão e sinalizados"


def archived(run_id: object, clients: str, by_kind: str) -> str:
    """`clean --archive-stale --apply`."""
    return (
        f"rodada {run_id}: {clients} cliente(s) arquivado(s)"
        f" ({by_kind}); para desfazer: carteira clean --undo-archive {run_id}"
    )


def stale_contacts(count: str, by_kind: str) -> str:
    """`clean --archive-stale` without `--apply`."""
    return f"{count} contato(s) parado(s) ({by_kind})"


def merges_done(merges: str, removed: str) -> str:
    """`clean --apply`'s first line."""
    return f"{merges} mesclagem(ns), {removed} cadastro(s) a menos"


def how_to_undo_merges(first: int, last: int) -> str:
    """How to undo the merges just made."""
    return (
        "Para desfazer uma: carteira clean --undo MESCLAGEM; todas: carteira clean --undo"
        f" {first}-{last}"
    )


# -- client --------------------------------------------------------------------------------------

OPEN_TASKS = "Tarefas abertas"
NO_ORDERS = "  nenhum pedido"
NOTE_ADDED = "observação adicionada"


def orders_totals(count: int, total: str, ticket: str) -> str:
    """`carteira client show`'s orders line."""
    return f"  {counted(count, 'pedido', 'pedidos')} · total {total} · ticket médio {ticket}"


def monthly_spend(first: str, last: str, sparkline: str, top: str) -> str:
    """`carteira client show`'s spend line."""
    return f"  gasto mensal {first} a {last}: {sparkline} (máx. {top})"


def contact_logged(day: str, interaction_id: int) -> str:
    """`carteira client log`."""
    return f"contato registrado em {day} (interação {interaction_id})"


def follow_up_set(day: str, task_id: int) -> str:
    """`carteira client follow-up`."""
    return f"retorno agendado para {day} (tarefa {task_id})"


# -- forecast ------------------------------------------------------------------------------------

GAMMA_GAMMA_AT_LIMIT = (
    "  p no limite (p → ∞): cada compra varia pouco em torno da média do",
    "  cliente; o ticket esperado de quem já recomprou é a própria média",
)
VALUE_PER_PURCHASE = "Valor por compra (Gamma-Gamma):"
NO_FIT_NO_TEST = "  Sem ajuste, sem teste."


def fit_clients(clients: str, converged: bool) -> str:
    """A fit's clients and whether it converged."""
    return f"  {clients} clientes; {'convergiu' if converged else 'não convergiu'}"


def fit_unusable(problem: object) -> str:
    """A fit that could not be used."""
    return f"  Não foi possível usar o ajuste: {problem}."


def forecast_heading(day: str, fitted_at: str | None) -> str:
    """`carteira forecast`'s first line."""
    when = f"Previsão em {day}"
    return f"{when} (parâmetros guardados, ajustados em {fitted_at})" if fitted_at else when


def holdout_heading(day: str) -> str:
    """The holdout test's heading."""
    return (
        f"Teste: ajuste até {day}, compras depois"
        " (média por cliente, pelo número de dias de recompra antes)"
    )


# -- maintenance, privacy, settings --------------------------------------------------------------


def backup_saved(path: object, kib: str) -> str:
    """`carteira backup`."""
    return f"cópia salva em {path} ({kib} KiB)"


def restored(db_path: object, source: object) -> str:
    """`carteira restore`."""
    return f"{db_path} restaurado de {source}"


def database_sound(version: object) -> str:
    """`carteira check` with the kept results current."""
    return f"banco íntegro (esquema versão {version})"


def data_sound(version: object) -> str:
    """`carteira check` with the kept results unusable."""
    return f"dados do banco íntegros (esquema versão {version})"


def kept_results(results: str) -> str:
    """The kept results' state."""
    return f"resultados guardados: {results}"


def kept_results_unused(results: str) -> str:
    """The kept results cannot be used: they are computed again."""
    return (
        f"resultados guardados: {results} — não são usados; a segmentação é"
        " recalculada na próxima vez (`carteira segment`)"
    )


def person_exported(client: str, output: object) -> str:
    """`carteira privacy export`."""
    return f"dados de {client} exportados para {output}"


def forget_question(records: int) -> str:
    """The confirmation before forgetting a person."""
    return (
        f"Apagar os dados pessoais destes {records} cadastros? "
        "Os pedidos ficam como receita anônima."
    )


def forgotten(client: str, code: str, orders: int, revenue: str) -> str:
    """`carteira privacy forget`."""
    return f"{client} anonimizado: agora {code}; {orders} pedidos mantidos ({revenue})"


def others_forgotten(codes: str) -> str:
    """The person's other records, anonymised too."""
    return f"outros cadastros da mesma pessoa anonimizados: {codes}"


def files_cleaned(count: int) -> str:
    """The product's files beside the database cleaned by forgetting."""
    return f"{count} arquivos ao lado do banco limpos (cache, cópias, rejeitados)"


def personal_file(path: object) -> str:
    """`carteira config show`'s personal file line."""
    return f"arquivo pessoal: {path}"


def shared_set(key: str, value: object) -> str:
    """`carteira config set`."""
    return f"{key} = {value} (no banco, para todos); rode `carteira segment` para aplicar"


def shared_unset(key: str, value: object) -> str:
    """`carteira config unset`."""
    return f"{key} = {value} (padrão)"


# -- segment, import, export, demo, audit, plans, board -------------------------------------------

NOTHING_IMPORTED = "nada foi importado: corrija as linhas acima ou use --skip-bad"
NO_AUDIT = "nenhum registro de auditoria"
STALE_EXPORT = "aviso: resultado desatualizado; rode `carteira segment`."
BOARD_SETTINGS_MOVES = (
    "entraram/saíram: movimentos por mudança de configuração (a última segmentação"
    " usou outros limites ou segmentos), não comportamento dos clientes"
)
NEEDS_A_TERMINAL = (
    "o aplicativo precisa de um terminal (entrada e tela interativas); "
    "para usar em scripts, chame um comando, p.ex. `carteira segment --format csv`"
)


def expected_key_value(pair: str) -> str:
    """`--preview` got something other than key=value."""
    return f"esperava chave=valor, veio {pair!r}"


def clients_written(count: int, output: object) -> str:
    """`carteira segment --output`."""
    return f"{count} clientes gravados em {output}"


def explained_heading(code: str, name: str, day: str) -> str:
    """`carteira explain`'s first line."""
    return f"{code} — {name} (em {day})"


def expected_mapping(pair: str) -> str:
    """`--map` got something other than COLUNA=campo."""
    return f"use COLUNA=campo, não {pair!r}"


def rejects_written(path: object) -> str:
    """Where an import wrote its rejected rows."""
    return f"linhas rejeitadas gravadas em {path}"


def exported(rows: int, path: object) -> str:
    """`carteira export`."""
    return f"{rows} clientes exportados para {path}"


def demo_as_of(day: str) -> str:
    """`carteira demo`'s reference date."""
    return f"data de referência: {day}"


def demo_counts(clients: str, orders: str, revenue: str) -> str:
    """`carteira demo`'s totals."""
    return f"clientes: {clients}  pedidos: {orders}  receita: {revenue}"


def demo_tasks(count: int) -> str:
    """`carteira demo`'s tasks created."""
    return f"tarefas criadas: {count}"


def invalid_settings(error: object) -> str:
    """The settings file could not be read."""
    return f"configuração inválida: {error}"


def plan_deleted(code: str, deleted: bool) -> str:
    """`carteira plans delete`."""
    return f"plano {code} " + ("apagado" if deleted else "desativado (já gerou tarefas)")


PROBLEMS_FOUND = "problemas encontrados"
PLAN_NEEDS = "informe --title e --trigger"
RECORDS_TO_ERASE = "cadastros a apagar:"


def stale_heading(count: str, by_kind: str) -> str:
    """The cleaning report's stale contacts heading."""
    return f"\nContatos parados: {count} ({by_kind})"


def more_problems(count: int) -> str:
    """An import's problems past the ones shown."""
    return f"… e mais {count} problemas"


def replace_question(db_path: object, source: object) -> str:
    """`carteira restore`'s confirmation."""
    return f"Substituir {db_path} por {source}?"


def plan_created(code: str, title: str) -> str:
    """`carteira plans add`."""
    return f"plano {code} criado: {title}"


def plan_edited(code: str) -> str:
    """`carteira plans edit`."""
    return f"plano {code} alterado"
