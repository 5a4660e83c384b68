#!/usr/bin/env python3
"""Regenerates the vendored word-list sample in data/wordlists/ from Debian's word lists.

Needs the Debian packages listed in LANGUAGES (apt-get install wamerican wngerman wfrench wspanish
witalian wportuguese wdutch); any python3 (standard library only). Run from anywhere:
    python3 data/wordlists/regenerate.py

The rule (deterministic: the same package versions give the same files, whatever their line order):
1. Read /usr/share/dict/<file> as UTF-8 and lower-case each line (German nouns are capitalised).
2. Keep words of 3 to 10 letters, every character a lower-case letter of the Latin script
   (a-z and the accented letters of these languages, including ß): no apostrophes, hyphens, digits.
3. Drop any word that survives step 2 in more than one language: its label would be ambiguous.
4. Of what is left, keep the WORDS_PER_LANGUAGE words with the smallest sha256("<lang>:<word>"),
   a fixed pseudo-random choice that doesn't favour any part of the alphabet.
5. Write them to <lang>.txt sorted by the same hash, one per line, UTF-8, "\n" line ends.
The example (examples/char-lstm.ts) puts every 5th word of each file (line 5, 10, ...) in the test set.
"""
import hashlib
import os
import re
import sys

# (language label, Debian package, file under /usr/share/dict); the label order is the class order.
LANGUAGES = [
    ("english", "wamerican", "american-english"),
    ("german", "wngerman", "ngerman"),
    ("french", "wfrench", "french"),
    ("spanish", "wspanish", "spanish"),
    ("italian", "witalian", "italian"),
    ("portuguese", "wportuguese", "portuguese"),
    ("dutch", "wdutch", "dutch"),
]
WORDS_PER_LANGUAGE = 1000
WORD = re.compile(r"^[a-zßàáâãäåæçèéêëìíîïñòóôõöøùúûüýÿœ]{3,10}$")


def read_words(path):
    with open(path, encoding="utf-8") as f:
        return {line.strip().lower() for line in f if WORD.match(line.strip().lower())}


def key(lang, word):
    return hashlib.sha256(f"{lang}:{word}".encode("utf-8")).hexdigest()


def main():
    out_dir = os.path.dirname(os.path.abspath(__file__))
    words = {}
    for lang, package, name in LANGUAGES:
        path = os.path.join("/usr/share/dict", name)
        if not os.path.exists(path):
            sys.exit(f"regenerate: {path} is missing: apt-get install {package}")
        words[lang] = read_words(path)
    seen = {}
    for lang in words:
        for w in words[lang]:
            seen[w] = seen.get(w, 0) + 1
    for lang, package, _ in LANGUAGES:
        unique = [w for w in words[lang] if seen[w] == 1]
        chosen = sorted(unique, key=lambda w: key(lang, w))[:WORDS_PER_LANGUAGE]
        if len(chosen) < WORDS_PER_LANGUAGE:
            sys.exit(f"regenerate: only {len(chosen)} words for {lang}")
        with open(os.path.join(out_dir, f"{lang}.txt"), "w", encoding="utf-8", newline="\n") as f:
            f.write("".join(w + "\n" for w in chosen))
        print(f"{lang:11s} {package:12s} {len(unique):7d} candidates, {len(chosen)} kept")


if __name__ == "__main__":
    main()
