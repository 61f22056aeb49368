"""The schema, as forward migrations (sqlite-utils `Migrations`); applied by `open_db`.

Append new steps at the end; never edit one that has shipped. Money is integer centavos, dates
are ISO text (`aaaa-mm-dd`), timestamps ISO with seconds, booleans 0/1.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("carteira")


@migrations(name="m001_initial")
def m001_initial(db: Database) -> None:
    """Cadastro (clients, owners), orders, interactions, per-client order aggregates, meta."""
    db.executescript(
        """
        CREATE TABLE owners (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            email TEXT,
            capacity INTEGER NOT NULL DEFAULT 500,
            active INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now'))
        );
        CREATE TABLE clients (
            id INTEGER PRIMARY KEY,
            external_id TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL DEFAULT '',
            document TEXT,
            email TEXT,
            phone TEXT,
            channel_pref TEXT,
            consent_email INTEGER,
            consent_phone INTEGER,
            consent_whatsapp INTEGER,
            consent_sms INTEGER,
            opt_out INTEGER NOT NULL DEFAULT 0,
            city TEXT,
            uf TEXT,
            cep TEXT,
            birth_date TEXT,
            gender TEXT,
            marital_status TEXT,
            children INTEGER,
            life_stage TEXT,
            income_band TEXT,
            owner_id INTEGER REFERENCES owners(id),
            pinned INTEGER NOT NULL DEFAULT 0,
            delinquent INTEGER NOT NULL DEFAULT 0,
            credit_restriction INTEGER NOT NULL DEFAULT 0,
            archived INTEGER NOT NULL DEFAULT 0,
            archived_at TEXT,
            tags TEXT,
            notes TEXT,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now')),
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now')),
            generation INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX clients_generation ON clients(generation);
        CREATE INDEX clients_owner ON clients(owner_id);
        CREATE INDEX clients_document ON clients(document);
        CREATE TABLE orders (
            id INTEGER PRIMARY KEY,
            external_id TEXT UNIQUE,
            client_id INTEGER NOT NULL REFERENCES clients(id),
            date TEXT NOT NULL,
            amount_cents INTEGER NOT NULL,
            channel TEXT,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now')),
            generation INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX orders_client ON orders(client_id, date);
        CREATE INDEX orders_generation ON orders(generation);
        CREATE TABLE interactions (
            id INTEGER PRIMARY KEY,
            external_id TEXT UNIQUE,
            client_id INTEGER NOT NULL REFERENCES clients(id),
            at TEXT NOT NULL,
            channel TEXT,
            kind TEXT,
            outcome TEXT,
            note TEXT,
            who TEXT,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now'))
        );
        CREATE INDEX interactions_client ON interactions(client_id, at);
        CREATE TABLE client_aggregates (
            client_id INTEGER PRIMARY KEY REFERENCES clients(id),
            first_purchase TEXT NOT NULL,
            last_purchase TEXT NOT NULL,
            frequency INTEGER NOT NULL,
            monetary_cents INTEGER NOT NULL,
            purchase_days INTEGER NOT NULL,
            generation INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX client_aggregates_generation ON client_aggregates(generation);
        CREATE TABLE meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        INSERT INTO meta(key, value) VALUES ('generation', '0');
        INSERT INTO meta(key, value) VALUES ('reset_generation', '0');
        """
    )


@migrations(name="m002_audit")
def m002_audit(db: Database) -> None:
    """The audit trail: who changed what, when, with the values before and after."""
    db.executescript(
        """
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now')),
            who TEXT NOT NULL,
            action TEXT NOT NULL,
            entity TEXT NOT NULL,
            entity_id INTEGER,
            client_id INTEGER,
            summary TEXT,
            before TEXT,
            after TEXT
        );
        CREATE INDEX audit_client ON audit(client_id, at);
        CREATE INDEX audit_at ON audit(at);
        """
    )


@migrations(name="m_segments")
def m_segments(db: Database) -> None:
    """Named segments people edit (ordered, first match wins), seeded with the method's set."""
    db.executescript(
        """
        CREATE TABLE segments (
            id INTEGER PRIMARY KEY,
            position INTEGER NOT NULL,
            name TEXT NOT NULL UNIQUE,
            filter TEXT NOT NULL,
            plan TEXT NOT NULL,
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now'))
        );
        INSERT INTO segments(position, name, filter, plan) VALUES
            (1, 'Clientes A em risco',
             'abc = A and (cooling or status in (inativo_recente, inativo_antigo))', 'retencao_a'),
            (2, 'Ativos', 'status = ativo', 'fidelizacao'),
            (3, 'Inativos recentes', 'status = inativo_recente', 'reengajamento'),
            (4, 'Inativos antigos', 'status = inativo_antigo', 'reativacao'),
            (5, 'Prospects', 'status = prospect', 'nutricao');
        """
    )


@migrations(name="m_tasks")
def m_tasks(db: Database) -> None:
    """Action plans (seeded with the method's defaults) and the task queue they generate.

    A segment's `plan` names an action plan by `code`. `tasks.period` is the occurrence a
    recurring or birthday task belongs to; `urgency` is stored as of `urgency_on` so the queue
    reads in index order. At most one open task per client and plan (partial unique index).
    """
    db.executescript(
        """
        CREATE TABLE action_plans (
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            title TEXT NOT NULL,
            trigger TEXT NOT NULL,
            value TEXT,
            abc TEXT,
            due_offset INTEGER NOT NULL DEFAULT 0,
            priority TEXT NOT NULL DEFAULT 'M' CHECK (priority IN ('H', 'M', 'L')),
            channel TEXT,
            recurrence TEXT,
            anchor TEXT,
            cooldown_days INTEGER NOT NULL DEFAULT 30,
            active INTEGER NOT NULL DEFAULT 1,
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now'))
        );
        INSERT INTO action_plans
            (code, kind, title, trigger, value, abc, due_offset, priority, channel, recurrence,
             anchor, cooldown_days, active)
        VALUES
            ('fidelizacao', 'fidelizacao', 'Fidelização, upsell e cross-sell', 'segment', NULL,
             NULL, 5, 'M', NULL, NULL, NULL, 60, 1),
            ('retencao_a', 'retencao', 'Retenção de cliente A em risco', 'segment', NULL,
             NULL, 1, 'H', 'telefone', NULL, NULL, 30, 1),
            ('reengajamento', 'reengajamento', 'Oferta personalizada e reengajamento', 'segment',
             NULL, NULL, 3, 'M', NULL, NULL, NULL, 60, 1),
            ('reativacao', 'reativacao', 'Proposta com desconto e vantagens exclusivas',
             'segment', NULL, NULL, 5, 'L', NULL, NULL, NULL, 90, 1),
            ('nutricao', 'nutricao', 'Nutrição de prospect', 'segment', NULL,
             NULL, 5, 'L', 'email', NULL, NULL, 30, 1),
            ('recompra', 'recompra', 'Contato de recompra', 'recompra', NULL,
             NULL, 1, 'H', NULL, NULL, NULL, 30, 1),
            ('relacionamento', 'relacionamento', 'Contato de relacionamento', 'esfriando', NULL,
             NULL, 2, 'M', NULL, NULL, NULL, 30, 1),
            ('aniversario', 'aniversario', 'Mensagem de aniversário', 'aniversario', NULL,
             NULL, 0, 'M', 'whatsapp', NULL, NULL, 0, 1),
            ('cobranca', 'cobranca', 'Cobrança', 'inadimplente', NULL,
             NULL, 0, 'H', 'telefone', NULL, NULL, 15, 1),
            ('contato_mensal_a', 'fidelizacao', 'Contato mensal com cliente A', 'status', 'ativo',
             'A', 2, 'H', NULL, 'FREQ=MONTHLY', '2020-01-01', 0, 0);
        CREATE TABLE tasks (
            id INTEGER PRIMARY KEY,
            client_id INTEGER NOT NULL REFERENCES clients(id),
            plan_id INTEGER REFERENCES action_plans(id),
            parent_id INTEGER REFERENCES tasks(id),
            kind TEXT,
            title TEXT,
            status TEXT NOT NULL DEFAULT 'aberta'
                CHECK (status IN ('aberta', 'concluida', 'cancelada')),
            priority TEXT NOT NULL DEFAULT 'M' CHECK (priority IN ('H', 'M', 'L')),
            channel TEXT,
            owner_id INTEGER REFERENCES owners(id),
            period TEXT,
            due TEXT NOT NULL,
            created_on TEXT NOT NULL,
            abc TEXT,
            overdue_days REAL,
            cooling INTEGER,
            urgency REAL NOT NULL DEFAULT 0,
            urgency_on TEXT,
            closed_on TEXT,
            outcome TEXT,
            note TEXT,
            interaction_id INTEGER REFERENCES interactions(id),
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now'))
        );
        CREATE UNIQUE INDEX tasks_one_open ON tasks(client_id, plan_id)
            WHERE status = 'aberta' AND plan_id IS NOT NULL;
        CREATE INDEX tasks_queue ON tasks(status, urgency DESC, due, id);
        CREATE INDEX tasks_owner_queue ON tasks(owner_id, status, urgency DESC, due, id);
        CREATE INDEX tasks_client ON tasks(client_id, plan_id, period);
        """
    )


@migrations(name="m_cleaning")
def m_cleaning(db: Database) -> None:
    """Limpeza: flagged issues and completeness per client, the merge log, the archive log.

    `client_quality.generation` is the `clients.generation` the check read, so a stale row is
    detected. A merge keeps every row it removed or changed as JSON (`merges`), and an archive run
    each client's previous archive columns (`archive_log`), so both can be undone exactly.
    """
    db.executescript(
        """
        CREATE TABLE client_issues (
            client_id INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
            field TEXT NOT NULL,
            raw_value TEXT,
            issue TEXT NOT NULL,
            PRIMARY KEY (client_id, field)
        );
        CREATE INDEX client_issues_issue ON client_issues(issue);
        CREATE TABLE client_quality (
            client_id INTEGER PRIMARY KEY REFERENCES clients(id) ON DELETE CASCADE,
            completeness INTEGER NOT NULL,
            generation INTEGER NOT NULL,
            checked_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now'))
        );
        CREATE TABLE merges (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now')),
            who TEXT NOT NULL,
            survivor_id INTEGER NOT NULL,
            removed_ids TEXT NOT NULL,
            confidence TEXT,
            survivor_before TEXT NOT NULL,
            removed_rows TEXT NOT NULL,
            aggregates_before TEXT NOT NULL,
            moved TEXT NOT NULL,
            undone_at TEXT
        );
        CREATE INDEX merges_survivor ON merges(survivor_id);
        CREATE TABLE archive_runs (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now')),
            who TEXT NOT NULL,
            as_of TEXT NOT NULL,
            prospect_years INTEGER NOT NULL,
            client_years INTEGER NOT NULL,
            clients INTEGER NOT NULL,
            undone_at TEXT
        );
        CREATE TABLE archive_log (
            run_id INTEGER NOT NULL REFERENCES archive_runs(id),
            client_id INTEGER NOT NULL,
            reason TEXT NOT NULL,
            last_activity TEXT,
            before TEXT NOT NULL,
            PRIMARY KEY (run_id, client_id)
        );
        CREATE INDEX archive_log_client ON archive_log(client_id);
        """
    )


@migrations(name="m_views")
def m_views(db: Database) -> None:
    """Saved views of the Clientes pane: a name for a filter, a search and a sort."""
    db.executescript(
        """
        CREATE TABLE saved_views (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            search TEXT NOT NULL DEFAULT '',
            filter TEXT NOT NULL DEFAULT '',
            sort_column TEXT,
            sort_descending INTEGER NOT NULL DEFAULT 0,
            who TEXT,
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now'))
        );
        """
    )


@migrations(name="m_owners_watch")
def m_owners_watch(db: Database) -> None:
    """Responsáveis and vigilância: owner pools per segment, the assignment log, segment history.

    `assignment_runs` is one row per `carteira assign` (giro included) and `assignment_log` one
    row per client it moved (from, to, why). `segment_runs` is one row per segmentation run and
    `segment_history` one row per client whose status, segment or ABC class changed in it
    (`*_from` is null for a client the previous run did not have).
    """
    db.executescript(
        """
        CREATE TABLE owner_pools (
            segment TEXT NOT NULL,
            owner_id INTEGER NOT NULL REFERENCES owners(id) ON DELETE CASCADE,
            PRIMARY KEY (segment, owner_id)
        );
        CREATE TABLE assignment_runs (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now')),
            who TEXT NOT NULL,
            as_of TEXT NOT NULL,
            rotate INTEGER NOT NULL DEFAULT 0,
            idle_days INTEGER,
            moved INTEGER NOT NULL
        );
        CREATE TABLE assignment_log (
            run_id INTEGER NOT NULL REFERENCES assignment_runs(id),
            client_id INTEGER NOT NULL,
            from_owner_id INTEGER,
            to_owner_id INTEGER,
            reason TEXT NOT NULL,
            PRIMARY KEY (run_id, client_id)
        );
        CREATE INDEX assignment_log_client ON assignment_log(client_id, run_id);
        CREATE TABLE segment_runs (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now')),
            as_of TEXT NOT NULL,
            clients INTEGER NOT NULL,
            changed INTEGER NOT NULL,
            has_previous INTEGER NOT NULL
        );
        CREATE TABLE segment_history (
            run_id INTEGER NOT NULL REFERENCES segment_runs(id),
            client_id INTEGER NOT NULL,
            status_from TEXT,
            status_to TEXT,
            segment_from TEXT,
            segment_to TEXT,
            abc_from TEXT,
            abc_to TEXT,
            PRIMARY KEY (run_id, client_id)
        );
        CREATE INDEX segment_history_client ON segment_history(client_id, run_id);
        """
    )


@migrations(name="m_privacy")
def m_privacy(db: Database) -> None:
    """LGPD: the blocklist of erased people and the per-database secret that keys it.

    `erased_people.key` is HMAC-SHA256 (keyed by `meta.privacy_secret`) of an erased person's
    normalised document or e-mail, so a later import recognises the person without the file
    keeping who they were.
    """
    db.executescript(
        """
        CREATE TABLE erased_people (
            key TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            erased_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now'))
        );
        INSERT OR IGNORE INTO meta(key, value)
            VALUES ('privacy_secret', lower(hex(randomblob(32))));
        """
    )


@migrations(name="m_imports_client_aliases")
def m_imports_client_aliases(db: Database) -> None:
    """Codes of clients merged away, kept as aliases of the survivor.

    A later import of a row, order or interaction under a merged-away code lands on the
    survivor instead of bringing the duplicate back; undoing the merge (`merge_id`) removes
    its aliases.
    """
    db.executescript(
        """
        CREATE TABLE client_aliases (
            code TEXT PRIMARY KEY,
            client_id INTEGER NOT NULL REFERENCES clients(id),
            merge_id INTEGER REFERENCES merges(id)
        );
        CREATE INDEX client_aliases_client ON client_aliases(client_id);
        """
    )


@migrations(name="m_forecast_fits")
def m_forecast_fits(db: Database) -> None:
    """Forecast: the kept BG/NBD + Gamma-Gamma fits, and each buyer's first-day revenue.

    `forecast_fits` keeps every fit (the newest is used for scoring until a refit); a model that
    could not be fitted keeps its reason in `*_problem` with null parameters.
    `client_first_day` is the revenue (non-negative orders) of the first purchase day of each
    client with a repeat day (m is 0 for the others), an aggregate kept beside
    `client_aggregates` (a table of its own, so the aggregates' column list stays as it is):
    m, the mean value of the repeat days, needs it.
    """
    db.executescript(
        """
        CREATE TABLE forecast_fits (
            id INTEGER PRIMARY KEY,
            as_of TEXT NOT NULL,
            fitted_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now')),
            generation INTEGER NOT NULL,
            r REAL, alpha REAL, a REAL, b REAL,
            bg_log_likelihood REAL, bg_clients INTEGER NOT NULL,
            bg_converged INTEGER NOT NULL, bg_problem TEXT,
            p REAL, q REAL, gamma REAL,
            gg_log_likelihood REAL, gg_clients INTEGER NOT NULL,
            gg_converged INTEGER NOT NULL, gg_problem TEXT
        );
        CREATE TABLE client_first_day (
            client_id INTEGER PRIMARY KEY,
            first_day_cents INTEGER NOT NULL
        );
        INSERT INTO client_first_day(client_id, first_day_cents)
            SELECT a.client_id, COALESCE((SELECT SUM(o.amount_cents) FROM orders o
                WHERE o.client_id = a.client_id AND o.date = a.first_purchase
                  AND o.amount_cents >= 0), 0)
            FROM client_aggregates a WHERE a.purchase_days > 1;
        """
    )


@migrations(name="m_trust_history")
def m_trust_history(db: Database) -> None:
    """Trust: the history and the shared settings live in the database, not beside it.

    `segment_runs` gains what each run was computed from (the data generation, the settings it
    used, as JSON and as a hash, and whether they differ from the run before's).
    `segment_state` is each client's status, segment and ABC class in the last run, kept by
    writing only the clients that moved, so the next run's movements can be found without the
    cache (a restored backup, a copy).
    `generation_stamps` gives each data generation a random stamp (`store.db.bump_generation`).
    `shared_settings` holds the thresholds everybody sees (`carteira config set`); a key absent
    from it takes the method's default.
    """
    db.executescript(
        """
        ALTER TABLE segment_runs ADD COLUMN settings_hash TEXT;
        ALTER TABLE segment_runs ADD COLUMN settings TEXT;
        ALTER TABLE segment_runs ADD COLUMN settings_changed INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE segment_runs ADD COLUMN generation INTEGER;
        CREATE TABLE segment_state (
            client_id INTEGER PRIMARY KEY,
            status TEXT,
            segment TEXT,
            abc TEXT
        ) WITHOUT ROWID;
        CREATE TABLE generation_stamps (
            generation INTEGER PRIMARY KEY,
            stamp TEXT NOT NULL
        );
        CREATE TABLE shared_settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            changed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now'))
        );
        """
    )


@migrations(name="m_hoje_queue")
def m_hoje_queue(db: Database) -> None:
    """Hoje: owners' `login` (who "me" is), a cadence (ideal, max days between contacts) per
    segment, and the segment a task's client was in when it was generated (its cadence is
    read through it, so an edited cadence applies at once).

    The method's cadences: A clients at risk every 15 days (30 at most), active clients 30/60,
    recent inactive 45/90; the old inactive and prospects have none.
    """
    db.executescript(
        """
        ALTER TABLE owners ADD COLUMN login TEXT;
        CREATE UNIQUE INDEX owners_login ON owners(lower(login)) WHERE login IS NOT NULL;
        ALTER TABLE segments ADD COLUMN cadence_ideal INTEGER;
        ALTER TABLE segments ADD COLUMN cadence_max INTEGER;
        UPDATE segments SET cadence_ideal = 15, cadence_max = 30
            WHERE name = 'Clientes A em risco';
        UPDATE segments SET cadence_ideal = 30, cadence_max = 60 WHERE name = 'Ativos';
        UPDATE segments SET cadence_ideal = 45, cadence_max = 90 WHERE name = 'Inativos recentes';
        ALTER TABLE tasks ADD COLUMN segment TEXT;
        INSERT INTO action_plans
            (code, kind, title, trigger, value, abc, due_offset, priority, channel, recurrence,
             anchor, cooldown_days, active)
        VALUES
            ('cadencia', 'cadencia', 'Manter contato (cadência do segmento)', 'cadencia', NULL,
             NULL, 0, 'M', NULL, NULL, NULL, 0, 1);
        """
    )


@migrations(name="m_hoje_daily_target")
def m_hoje_daily_target(db: Database) -> None:
    """Hoje: each owner's daily target of contacts ("12 de 30 hoje"); null = none."""
    db.executescript("ALTER TABLE owners ADD COLUMN daily_target INTEGER;")


@migrations(name="m_cadence_last_contact")
def m_cadence_last_contact(db: Database) -> None:
    """Cadence: each client's last logged interaction (`at` text, as stored), so segmentation
    reads one row per client instead of scanning all interactions. Triggers keep it current on
    every interaction write (log, task done, import, merge moving rows, forget deleting them)."""
    db.executescript(
        """
        CREATE TABLE client_last_contact (
            client_id INTEGER PRIMARY KEY,
            last_interaction TEXT NOT NULL
        );
        INSERT INTO client_last_contact(client_id, last_interaction)
            SELECT client_id, max(at) FROM interactions GROUP BY client_id;
        CREATE TRIGGER client_last_contact_insert AFTER INSERT ON interactions BEGIN
            INSERT INTO client_last_contact(client_id, last_interaction)
                VALUES (NEW.client_id, NEW.at)
                ON CONFLICT(client_id) DO UPDATE SET last_interaction = excluded.last_interaction
                WHERE excluded.last_interaction > client_last_contact.last_interaction;
        END;
        CREATE TRIGGER client_last_contact_delete AFTER DELETE ON interactions BEGIN
            DELETE FROM client_last_contact WHERE client_id = OLD.client_id;
            INSERT INTO client_last_contact(client_id, last_interaction)
                SELECT client_id, max(at) FROM interactions WHERE client_id = OLD.client_id
                GROUP BY client_id;
        END;
        CREATE TRIGGER client_last_contact_update AFTER UPDATE OF client_id, at ON interactions
        BEGIN
            DELETE FROM client_last_contact WHERE client_id IN (OLD.client_id, NEW.client_id);
            INSERT INTO client_last_contact(client_id, last_interaction)
                SELECT client_id, max(at) FROM interactions
                WHERE client_id IN (OLD.client_id, NEW.client_id) GROUP BY client_id;
        END;
        """
    )


@migrations(name="hojespeed_interactions_at")
def hojespeed_interactions_at(db: Database) -> None:
    """Interactions by moment, so "12 de 30 hoje" (the clients an owner contacted on a day)
    reads that day's interactions instead of scanning them all."""
    db.executescript("CREATE INDEX IF NOT EXISTS interactions_at ON interactions(at, client_id);")
