"""Seed phrases: the three BIP-39 checks (known words, word count, checksum) in plain words (introduced in 02_crypto_assets_and_services).

The BIP-39 word list and checksum come from bip-utils; this module adds only plain-language verdicts.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from bip_utils import Bip39Languages, Bip39MnemonicGenerator, Bip39MnemonicValidator
from bip_utils.bip.bip39.bip39_mnemonic_utils import Bip39WordsListGetter

VALID_WORD_COUNTS = (12, 15, 18, 21, 24)


@lru_cache(maxsize=1)
def bip39_words() -> tuple[str, ...]:
    """The 2,048 words of the BIP-39 English word list, in list order (from bip-utils)."""
    words = Bip39WordsListGetter().GetByLanguage(Bip39Languages.ENGLISH)
    return tuple(words.GetWordAtIdx(index) for index in range(words.Length()))


@dataclass(frozen=True)
class SeedPhraseCheck:
    """The verdict on a seed phrase: each BIP-39 check (None: could not be run), and the first problem in plain words."""

    words: tuple[str, ...]
    unknown_words: tuple[str, ...]
    count_ok: bool
    checksum_ok: bool | None
    problem: str | None

    @property
    def valid(self) -> bool:
        return self.problem is None

    def __str__(self) -> str:
        if self.valid:
            return f"Valid BIP-39 seed phrase of {len(self.words)} words: every word is in the list and the checksum matches."
        return f"NOT a valid BIP-39 seed phrase: {self.problem}"


def check_seed_phrase(text: str) -> SeedPhraseCheck:
    """Run the three BIP-39 checks on `text`: every word in the English list, 12/15/18/21/24 words, checksum."""
    if not isinstance(text, str):
        raise TypeError(f"A seed phrase is text (str) of words separated by spaces, not a {type(text).__name__}.")
    words = tuple(unicodedata.normalize("NFKD", text).lower().split())
    if not words:
        return SeedPhraseCheck(
            words, (), False, None, "there are no words: type the phrase, words separated by spaces."
        )
    known = set(bip39_words())
    unknown = tuple(dict.fromkeys(word for word in words if word not in known))
    count_ok = len(words) in VALID_WORD_COUNTS
    problems = []
    if unknown:
        problems.append(
            ("this word is" if len(unknown) == 1 else "these words are")
            + " not in the BIP-39 English list: "
            + "; ".join(_closest(word) for word in unknown)
            + "."
        )
    if not count_ok:
        problems.append(
            f"it has {len(words)} word{'' if len(words) == 1 else 's'}, but a BIP-39 phrase has 12, 15, 18, 21 or 24. Is a word missing, or one too many?"
        )
    if problems:
        return SeedPhraseCheck(
            words,
            unknown,
            count_ok,
            None,
            " ".join(problems) + " The checksum can only be checked once these are fixed.",
        )
    if not Bip39MnemonicValidator().IsValid(" ".join(words)):
        return SeedPhraseCheck(
            words,
            (),
            True,
            False,
            "every word is in the list and the count is right, but the checksum does not match: "
            "a word is wrong (another word of the list), or two words are swapped.",
        )
    return SeedPhraseCheck(words, (), True, True, None)


def _closest(word: str) -> str:
    near = difflib.get_close_matches(word, bip39_words(), n=2, cutoff=0.75)
    return f"{word!r}" + (f" (close to {' or '.join(repr(n) for n in near)})" if near else "")


def new_seed_phrase(rng: np.random.Generator, words: int = 12) -> str:
    """A fresh, valid BIP-39 phrase of `words` words from `rng`'s bytes (seeded: it protects nothing and belongs to no one)."""
    if words not in VALID_WORD_COUNTS:
        raise ValueError(f"a BIP-39 phrase has 12, 15, 18, 21 or 24 words, not {words}.")
    entropy_bytes = words * 11 * 32 // 33 // 8  # 12 words: 128 bits of entropy + 4 checksum bits = 132 bits = 12 x 11
    return Bip39MnemonicGenerator().FromEntropy(rng.bytes(entropy_bytes)).ToStr()
