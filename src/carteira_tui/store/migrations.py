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
