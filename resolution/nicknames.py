"""Given-name equivalence classes: a nickname and its formal name compare as equal.

Each group lists one formal name first, then its common English diminutives.
A name may belong to more than one group (e.g. "chris"), so lookups return sets.
"""

from __future__ import annotations

from functools import lru_cache

_GROUPS = """
robert bob rob bobby robbie bert
william bill will billy willie liam
elizabeth liz beth lizzie eliza betty libby elisabeth
katherine kate kathy katie kat cathy catherine kathryn katharine
margaret maggie meg peggy marge maggy
james jim jimmy jamie
michael mike mick mikey mickey
jonathan jon jonny johnny
john jack johnny jon
alexander alex al sandy xander
alexandra alex alexa sandra lexi
christopher chris kit topher
christine chris chrissie christina tina
daniel dan danny
thomas tom tommy
patricia pat patty trish tricia
patrick pat paddy
jennifer jenny jen jenn
stephen steve stevie steven
steven steve stevie stephen
anthony tony ant
samuel sam sammy
samantha sam sammy
rebecca becky becca
victoria vicky vicki tori
edward ed eddie ted teddy ned
richard rick ricky dick rich richie
charles charlie chuck chas
andrew andy drew
benjamin ben benny
matthew matt matty
nicholas nick nicky
nicola nicky nikki
joseph joe joey
josephine jo josie
joanne jo jo-anne joanna
david dave davey
peter pete
philip phil pip phillip
timothy tim timmy
gregory greg
jeffrey jeff geoff geoffrey
kenneth ken kenny
ronald ron ronnie
donald don donnie
raymond ray
gerald gerry jerry
lawrence larry laurie laurence
frederick fred freddie freddy
henry harry hal hank
harold harry hal
albert al bert bertie
alfred alf alfie fred
arthur art artie
douglas doug dougie
francis frank frankie fran
frances fran frankie francesca
susan sue susie suzanne
deborah debbie deb debra
dorothy dot dotty dottie
eleanor ellie nell nora elle
helen nell ellie
jacqueline jackie jacqui
judith judy jude
kimberley kim kimberly
lucy lu
pamela pam
penelope penny
sarah sally sara
amanda mandy
barbara barb babs
caroline carol carrie
christian chris
dominic dom
gabriel gabe
gabrielle gabby gabi
isabel izzy bella isabelle isobel
jessica jess jessie
leonard len lenny leo
louise lou lulu
lewis lou louis
mathew matt
natalie nat
nathan nat nate
nathaniel nat nate
oliver ollie
olivia liv livvy
rachel rach
ronan ro
rosemary rose rosie
ruth ruthie
stuart stu stewart
terence terry
theresa terry tess tessa teresa
valerie val
vincent vince vinny
zachary zach zack
charlotte lottie charlie lotte lotty
abigail abby abbie gail
anne annie
ann annie
hannah hanna
joshua josh
eleanor nora
nathaniel nat
william wills
josephine josie
francesca frankie
benedict ben
kathleen kath kathy kate
megan meg
emily em emmy
emma em
edmund ed ned
elliot eli
maximilian max
maxwell max
oscar ozzy
""".strip().splitlines()


@lru_cache(maxsize=1)
def _index() -> dict[str, frozenset[int]]:
    index: dict[str, set[int]] = {}
    for number, line in enumerate(_GROUPS):
        for name in line.split():
            index.setdefault(name, set()).add(number)
    return {name: frozenset(groups) for name, groups in index.items()}


def nickname_groups(first_name: str) -> frozenset[int]:
    """The equivalence groups a lower-case given name belongs to (empty when unknown)."""
    return _index().get(first_name, frozenset())


def canonical_first_name(first_name: str) -> str:
    """A stable representative: the formal name of the first group, or the name itself."""
    groups = nickname_groups(first_name)
    if not groups:
        return first_name
    return _GROUPS[min(groups)].split()[0]


def are_nicknames(a: str, b: str) -> bool:
    """True when two lower-case given names are the same name or share a group."""
    return a == b or bool(nickname_groups(a) & nickname_groups(b))
