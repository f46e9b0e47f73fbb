/**
 * What an instance's SQLite file wrote, row by row, so that every other instance can write the
 * same: temporary triggers (this connection only; nothing is added to the file) copy each
 * inserted, updated or deleted row of every table into a temporary outbox. The leader ships the
 * outbox with each batch of the change log; the others apply those rows to their own file. So
 * every instance's file holds the same posts, revisions, cursors, decisions, settings, audit log,
 * alerts, accounts and sessions, as of the last batch it applied.
 */
import type Database from 'better-sqlite3';

/** One row written: its table, its key (JSON array of the primary key's values), the row or null when deleted. */
export interface RowChange {
  t: string;
  k: string;
  r: Record<string, unknown> | null;
}

interface Table {
  name: string;
  columns: string[];
  key: string[];
  upsert: Database.Statement;
  delete: Database.Statement;
  all: Database.Statement;
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

export class Outbox {
  readonly #db: Database.Database;
  readonly #tables = new Map<string, Table>();
  readonly #drain: Database.Statement;
  readonly #clear: Database.Statement;
  readonly #count: Database.Statement;

  constructor(db: Database.Database) {
    this.#db = db;
    db.exec(
      `CREATE TEMP TABLE IF NOT EXISTS cf_outbox (seq INTEGER PRIMARY KEY, t TEXT NOT NULL, k TEXT NOT NULL, r TEXT)`,
    );
    const names = db
      .prepare(`SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
      .pluck()
      .all() as string[];
    for (const name of names) this.#install(name);
    this.#drain = db.prepare('SELECT seq, t, k, r FROM temp.cf_outbox ORDER BY seq');
    this.#clear = db.prepare('DELETE FROM temp.cf_outbox WHERE seq <= ?');
    this.#count = db.prepare('SELECT COUNT(*) FROM temp.cf_outbox').pluck();
  }

  #install(name: string): void {
    const info = this.#db.prepare(`PRAGMA main.table_info(${quote(name)})`).all() as { name: string; pk: number }[];
    const columns = info.map((c) => c.name);
    const key = info
      .filter((c) => c.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((c) => c.name);
    if (key.length === 0) return;
    const t = quote(name);
    const keyOf = (row: 'NEW' | 'OLD') => `json_array(${key.map((c) => `${row}.${quote(c)}`).join(', ')})`;
    const rowOf = `json_object(${columns.map((c) => `'${c}', NEW.${quote(c)}`).join(', ')})`;
    const insert = (values: string) => `INSERT INTO temp.cf_outbox (t, k, r) VALUES ('${name}', ${values});`;
    const trigger = (event: string, body: string) =>
      `CREATE TEMP TRIGGER IF NOT EXISTS ${quote(`cf_${name}_${event}`)} AFTER ${event} ON main.${t} BEGIN ${body} END;`;
    this.#db.exec(trigger('INSERT', insert(`${keyOf('NEW')}, ${rowOf}`)));
    // A key that changes (rare) deletes the old row before writing the new one.
    this.#db.exec(
      trigger(
        'UPDATE',
        `INSERT INTO temp.cf_outbox (t, k, r) SELECT '${name}', ${keyOf('OLD')}, NULL WHERE ${keyOf('OLD')} <> ${keyOf('NEW')};
         ${insert(`${keyOf('NEW')}, ${rowOf}`)}`,
      ),
    );
    this.#db.exec(trigger('DELETE', insert(`${keyOf('OLD')}, NULL`)));
    const cols = columns.map(quote).join(', ');
    const others = columns.filter((c) => !key.includes(c));
    const where = key.map((c) => `${quote(c)} = @${c}`).join(' AND ');
    this.#tables.set(name, {
      name,
      columns,
      key,
      upsert: this.#db.prepare(
        `INSERT INTO main.${t} (${cols}) VALUES (${columns.map((c) => `@${c}`).join(', ')})
         ON CONFLICT (${key.map(quote).join(', ')}) DO ${
           others.length
             ? `UPDATE SET ${others.map((c) => `${quote(c)} = excluded.${quote(c)}`).join(', ')}`
             : 'NOTHING'
         }`,
      ),
      delete: this.#db.prepare(`DELETE FROM main.${t} WHERE ${where}`),
      all: this.#db.prepare(`SELECT * FROM main.${t}`),
    });
  }

  /** Rows written since the last `clear`, the last write of each row only, and the sequence to clear up to. */
  pending(): { rows: RowChange[]; upTo: number } {
    const latest = new Map<string, RowChange>();
    let upTo = 0;
    for (const { seq, t, k, r } of this.#drain.iterate() as Iterable<{
      seq: number;
      t: string;
      k: string;
      r: string | null;
    }>) {
      upTo = seq;
      const id = `${t}\u0000${k}`;
      // A row written twice keeps its place of first write and its last content.
      const change = { t, k, r: r === null ? null : (JSON.parse(r) as Record<string, unknown>) };
      if (latest.has(id)) latest.delete(id);
      latest.set(id, change);
    }
    return { rows: [...latest.values()], upTo };
  }

  /** Forgets what was shipped (or what another instance's rows wrote here). */
  clear(upTo = Number.MAX_SAFE_INTEGER): void {
    this.#clear.run(upTo);
  }

  get size(): number {
    return this.#count.get() as number;
  }

  /** Writes rows another instance wrote (inside the caller's transaction). Unknown tables are skipped. */
  apply(rows: readonly RowChange[]): void {
    for (const change of rows) {
      const table = this.#tables.get(change.t);
      if (!table) continue;
      if (change.r) table.upsert.run(pick(change.r, table.columns));
      else {
        const values = JSON.parse(change.k) as unknown[];
        table.delete.run(Object.fromEntries(table.key.map((c, i) => [c, values[i]])));
      }
    }
  }

  /** Every row of every table, as changes (the first instance's copy into Redis). */
  dump(): RowChange[] {
    const out: RowChange[] = [];
    for (const table of this.#tables.values()) {
      for (const row of table.all.iterate() as Iterable<Record<string, unknown>>) {
        out.push({ t: table.name, k: JSON.stringify(table.key.map((c) => row[c])), r: row });
      }
    }
    return out;
  }

  /** Replaces every table's content by `rows` (an instance starting from Redis), in one transaction. */
  replaceAll(rows: readonly RowChange[]): void {
    this.#db.transaction(() => {
      // The rows come table by table, in no order that follows the foreign keys: those are checked
      // once every row is in (at the commit of this transaction).
      this.#db.pragma('defer_foreign_keys = ON');
      for (const table of this.#tables.values()) this.#db.prepare(`DELETE FROM main.${quote(table.name)}`).run();
      this.apply(rows);
    })();
  }
}

function pick(row: Record<string, unknown>, columns: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(columns.map((c) => [c, row[c] ?? null]));
}
