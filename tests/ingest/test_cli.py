"""The command line's polish (issue 14 item 8): --version, help for every option, tables that
fit the terminal with prefixed names, a quiet end on a closed pipe, Turtle with prefixes."""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

import pytest
import pyoxigraph as ox

from core.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[2]


def _parsers(parser: argparse.ArgumentParser):
    yield parser.prog, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _parsers(sub)


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == "ofsted-kg 0.1.0"


def test_every_option_and_argument_has_help():
    missing = [f"{prog} {'/'.join(a.option_strings) or a.dest}"
               for prog, p in _parsers(build_parser()) for a in p._actions
               if not isinstance(a, argparse._SubParsersAction) and a.help != argparse.SUPPRESS
               and not (a.help or "").strip()]
    assert missing == []
    commands = {prog.split()[-1] for prog, _ in _parsers(build_parser())}
    assert {"ingest", "validate", "query", "export", "serve", "update", "queries"} <= commands


def test_table_fits_the_terminal_with_prefixed_names(corpus_store_path, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("COLUMNS", "72")
    query = tmp_path / "docs.rq"
    query.write_text("PREFIX ofs: <https://w3id.org/ofsted-kg/def#> SELECT ?doc ?title WHERE "
                     "{ ?doc a ofs:InspectionReport ; <http://purl.org/dc/terms/title> ?title } ORDER BY ?doc")
    assert main(["query", str(query), "--store", str(corpus_store_path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["doc", "title"] and out[-1] == "(4 rows)"
    assert max(len(line) for line in out) <= 72
    assert out[2].startswith("id:document/") and "https://" not in "\n".join(out)
    assert any(line.endswith("…") for line in out[2:-1])          # long titles are cut
    # csv keeps full values
    assert main(["query", str(query), "--store", str(corpus_store_path), "--format", "csv"]) == 0
    assert "https://w3id.org/ofsted-kg/id/document/" in capsys.readouterr().out


def test_judgements_table_fits_a_narrow_terminal(corpus_store_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    assert main(["query", "judgements", "--store", str(corpus_store_path), "--format", "csv"]) == 0
    n = len(capsys.readouterr().out.splitlines()) - 1
    assert main(["query", "judgements", "--store", str(corpus_store_path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert max(len(line) for line in out) <= 100
    header = out[0].split()
    assert header[0].startswith("autho") and header[1] == "gss_code" and "grade" in header
    # what does not fit is named, not silently dropped
    assert out[-1].startswith(f"({n} rows; not shown: inspection, judgement")


@pytest.mark.parametrize("command, status", [
    (["query", "ALL", "--format", "csv"], {141}),
    # export writes in one call, which a large pipe buffer may take whole before the reader goes
    (["export", "--format", "nt"], {0, 141})])
def test_a_closed_pipe_ends_quietly(corpus_store_path, tmp_path, command, status):
    query = tmp_path / "all.rq"
    query.write_text("SELECT * WHERE { ?s ?p ?o }")
    argv = [str(query) if a == "ALL" else a for a in command]
    proc = subprocess.Popen([sys.executable, "-m", "ingest", *argv, "--store", str(corpus_store_path)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.read(200)            # like `| head -c 200`: read a little, then go away
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.wait(timeout=120)
    assert err == ""
    assert proc.returncode in status


def test_export_turtle_writes_prefixes(corpus_store_path, capsysbinary):
    assert main(["export", "--format", "ttl", "--store", str(corpus_store_path)]) == 0
    ttl = capsysbinary.readouterr().out.decode("utf-8")
    assert "@prefix ofs: <https://w3id.org/ofsted-kg/def#> ." in ttl
    assert "@prefix grade: <https://w3id.org/ofsted-kg/def/grade/> ." in ttl
    assert re.search(r"\sa (\S+ , )*ofs:InspectionReport\b", ttl) and "ofs:grade grade:" in ttl
    assert main(["export", "--format", "nt", "--store", str(corpus_store_path)]) == 0
    nt = capsysbinary.readouterr().out.decode("utf-8")
    # the same triples in both (blank nodes, labelled apart in each, by count)
    from_ttl = list(ox.parse(ttl.encode("utf-8"), format=ox.RdfFormat.TURTLE))
    from_nt = list(ox.parse(nt.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))
    assert len(from_ttl) == len(from_nt) > 10_000

    def named(triples):
        return {t for t in triples if not isinstance(t.subject, ox.BlankNode) and not isinstance(t.object, ox.BlankNode)}
    assert named(from_ttl) == named(from_nt)


def test_validate_checks_files_in_order_under_the_ingest_limits(tmp_path, capsys, monkeypatch):
    """``validate PATH`` prepares documents in the ingest's worker processes: one line per file,
    in the order given, and a document that breaks a limit is INVALID with the limit's reason."""
    good = str(ROOT / "corpus" / "bristol_2014_SIF-with-LSCB-review.txt")
    bad = tmp_path / "bad.txt"
    bad.write_text("hello world\n", encoding="utf-8")
    assert main(["validate", str(bad), good, "--jobs", "2"]) == 1
    lines = [line for line in capsys.readouterr().out.splitlines() if not line.startswith("  ")]
    assert lines[0].startswith(f"INVALID {bad}: not a recognised Ofsted report")
    assert lines[1].startswith(f"valid {good}: ") and "triples" in lines[1]
    assert main(["validate", good]) == 0
    capsys.readouterr()
    monkeypatch.setenv("OFSTED_KG_DOC_TIMEOUT", "0.01")
    assert main(["validate", good]) == 1
    assert f"INVALID {good}: took longer than the 0.01 s limit" in capsys.readouterr().out


def test_ingest_without_files_brings_the_derived_graphs_up_to_date(corpus_store_copy, capsys, tmp_path, monkeypatch):
    """After a write outside ingest marked them (core.flat.outdated_update, as a write through
    the server does), ``ingest`` with no files rebuilds links, reconciliation and flat graph;
    run again, it finds them current; on no store it fails and names it."""
    from core.flat import outdated_update, written_here_query
    from core.store import open_store
    from ingest.flat import flat_stale
    from ingest.reconcile import derived_stale, documents_state

    def state():
        store = open_store(corpus_store_copy, read_only=True)
        try:
            return (derived_stale(store), flat_stale(store, documents_state(store)),
                    bool(store.query(written_here_query())))
        finally:
            store.close()
    monkeypatch.setenv("OFSTED_KG_ANSWERS_AT_INGEST", "false")      # not what is tested here
    raw = ox.Store(str(corpus_store_copy))
    raw.update(outdated_update())
    raw.flush()
    del raw
    assert state() == (True, True, False)
    assert main(["ingest", "--store", str(corpus_store_copy)]) == 0
    assert "derived graphs rebuilt" in capsys.readouterr().err
    assert state() == (False, False, True)
    assert main(["ingest", "--store", str(corpus_store_copy)]) == 0
    assert "derived graphs were current" in capsys.readouterr().err
    assert main(["ingest", "--store", str(tmp_path / "none")]) == 1
    assert f"FAILED store {tmp_path / 'none'}: no store there" in capsys.readouterr().err
    assert not (tmp_path / "none").exists()
