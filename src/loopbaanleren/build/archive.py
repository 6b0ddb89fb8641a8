"""The last build as an RO-Crate (https://w3id.org/ro/crate), ready to deposit (Zenodo, DANS, OSF).

:func:`write_archive` packs, with the ``rocrate`` library, the built book (``book/``), ``results/`` (ledger,
provenance, comparison), the notebooks, the codebook and claims registry, the locked requirements and
``environment.yml``, ``CITATION.cff``, and the data the build read as ``results/provenance.json`` records them:
synthetic data are included; the user's own survey data (personal data) only with ``include_data``, otherwise
the crate describes each file by name, size and SHA-256 without holding it. The crate's title, description,
licence, authors, version and keywords come from ``CITATION.cff``. The crate is read back with ``rocrate``'s
reader, and checked to hold the ledger, the provenance, the book's index page and the requirements, before
the archive is reported written.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from loopbaanleren.errors import ParameterError
from loopbaanleren.build.project import PACKAGE_ROOT
from loopbaanleren.data.manifest import sha256_file
from loopbaanleren.resources import resource_path

ENVIRONMENT_FILES = ("requirements.txt", "environment.yml", "pyproject.toml", "CITATION.cff")
RESOURCES = ("codebook.yaml", "claims.yaml", "claims_qualitative.yaml", "coding_frame.yaml", "simulation.yaml")
REQUIRED = ("results/claims.csv", "results/provenance.json", "book/index.html", "requirements.txt")
"""Files a crate must hold for :func:`write_archive` to report success."""
NOT_INCLUDED = "Niet opgenomen (persoonsgegevens); beschreven door naam, grootte en SHA-256."


@dataclass(frozen=True)
class Archive:
    """A written crate: where it is, its number of entities, its size in bytes and the data left out."""

    path: Path
    entities: int
    size: int
    left_out: tuple[str, ...]


def citation(root: Path) -> dict:
    """``CITATION.cff`` of ``root`` as a mapping (empty when there is none)."""
    path = root / "CITATION.cff"
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _person(author: dict) -> tuple[str, dict]:
    """An author of CITATION.cff as an RO-Crate entity: a Person (given and family names) or an Organization."""
    if "family-names" in author:
        family = " ".join(p for p in (author.get("name-particle"), author["family-names"]) if p)
        name = " ".join(p for p in (author.get("given-names"), family) if p)
        entity = {"@type": "Person", "name": name, "familyName": family}
        if author.get("given-names"):
            entity["givenName"] = author["given-names"]
    else:
        name = str(author.get("name", "onbekend"))
        entity = {"@type": "Organization", "name": name}
    key = author.get("orcid") or "#" + "-".join(name.lower().split())
    return key, entity


def _describe(crate, cff: dict, record: dict) -> None:
    from rocrate.model.contextentity import ContextEntity

    crate.name = cff.get("title", "Loopbaanleren in het hbo")
    crate.description = " ".join(str(cff.get("abstract", "")).split()) or crate.name
    crate.datePublished = record.get("finished") or record.get("started")
    if cff.get("license"):
        licence = crate.add(ContextEntity(crate, f"https://spdx.org/licenses/{cff['license']}",
                                          properties={"@type": "CreativeWork", "name": cff["license"]}))
        crate.license = licence
    authors = []
    for author in cff.get("authors", []):
        key, properties = _person(author)
        authors.append(crate.add(ContextEntity(crate, key, properties=properties)))
    if authors:
        crate.creator = authors
    for key in ("version", "keywords"):
        if cff.get(key):
            crate.root_dataset[key] = cff[key] if key == "version" else ", ".join(cff[key])


def _add_tree(crate, folder: Path, dest: str, description: str) -> None:
    if not folder.is_dir():
        raise ParameterError(f"{folder}: not found; build the book first (loopbaanleren build)")
    crate.add_tree(folder, dest_path=dest, properties={"description": description})


def _add_data(crate, record: dict, include_data: bool) -> list[str]:
    """The build's data (``record['data']``): synthetic and (with ``include_data``) own files in ``data/``; own
    files otherwise as entities without content. Returns the names of the files left out."""
    from rocrate.model.contextentity import ContextEntity

    left_out = []
    for role, entry in record.get("data", {}).items():
        path = Path(entry["path"])
        if entry["synthetic"] or include_data:
            if not path.is_file():
                raise ParameterError(f"{role}: {path} is gone since the build; rebuild before archiving")
            if sha256_file(path) != entry["sha256"]:
                raise ParameterError(f"{role}: {path} changed since the build (its SHA-256 differs); rebuild first")
            properties = {"name": entry["file"], "sha256": entry["sha256"], "contentSize": path.stat().st_size,
                          "description": f"{role}: {'synthetisch' if entry['synthetic'] else 'eigen data'}"}
            crate.add_file(path, dest_path=f"data/{role}/{entry['file']}", properties=properties)
            sidecar = path.with_name(path.name + ".meta.json")
            if sidecar.is_file():
                crate.add_file(sidecar, dest_path=f"data/{role}/{sidecar.name}")
            continue
        properties = {"@type": "File", "name": entry["file"], "sha256": entry["sha256"], "description": NOT_INCLUDED}
        if path.is_file():
            properties["contentSize"] = path.stat().st_size
        crate.add(ContextEntity(crate, f"#data-{role}", properties=properties))
        left_out.append(entry["file"])
    return left_out


def _zip(folder: Path, target: Path) -> None:
    """The files of ``folder`` in one zip file ``target``, in name order, paths relative to the folder."""
    import zipfile

    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            archive.write(path, path.relative_to(folder).as_posix())


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def check_crate(path: Path) -> int:
    """Read the crate at ``path`` (a folder or a zip) back with ``rocrate``; its number of entities.

    Raises ``ParameterError`` naming the files a crate must hold (:data:`REQUIRED`) that it does not.
    """
    from rocrate.rocrate import ROCrate

    crate = ROCrate(path)
    ids = {entity.id for entity in crate.get_entities()}
    missing = [name for name in REQUIRED if name not in ids]
    if missing:
        raise ParameterError(f"{path}: the crate lacks {', '.join(missing)}")
    return len(ids)


def write_archive(layout, out: Path, include_data: bool = False, zip_file: bool = False) -> Archive:
    """Write the last build of ``layout`` (:class:`loopbaanleren.build.layout.Layout`) as an RO-Crate into the
    folder ``out`` (with ``zip_file`` into ``out`` with suffix ``.zip``), read it back, and describe it."""
    from rocrate.rocrate import ROCrate

    provenance = layout.results / "provenance.json"
    if not provenance.is_file():
        raise ParameterError(f"{provenance}: no build to archive; run 'loopbaanleren build' first")
    record = json.loads(provenance.read_text(encoding="utf-8"))
    crate = ROCrate()
    _describe(crate, citation(PACKAGE_ROOT), record)
    _add_tree(crate, layout.html, "book", "Het gebouwde boek (HTML)")
    _add_tree(crate, layout.results, "results", "Overzicht van de beweringen, herkomst en resultaten van de build")
    for path in sorted(layout.notebooks.glob("*")):
        if path.is_file() and path.suffix in (".py", ".yaml"):
            crate.add_file(path, dest_path=f"notebooks/{path.name}")
    for name in RESOURCES:
        crate.add_file(resource_path(name), dest_path=f"resources/{name}")
    for name in ENVIRONMENT_FILES:
        if (PACKAGE_ROOT / name).is_file():
            crate.add_file(PACKAGE_ROOT / name, dest_path=name)
    left_out = _add_data(crate, record, include_data)

    target = out.with_suffix(".zip") if zip_file else out
    scratch = target.with_name(f".{target.name}.partial")
    folder = scratch.with_name(scratch.name + ".d") if zip_file else scratch
    for path in {scratch, folder}:
        shutil.rmtree(path, ignore_errors=True)
        path.unlink(missing_ok=True)
    folder.parent.mkdir(parents=True, exist_ok=True)
    crate.write(folder)
    if zip_file:  # zipped here: rocrate's write_zip stores a folder's files twice
        _zip(folder, scratch)
        shutil.rmtree(folder)
    entities = check_crate(scratch)
    if target.is_dir():
        shutil.rmtree(target)
    elif target.exists():
        target.unlink()
    scratch.rename(target)
    return Archive(target, entities, _size(target), tuple(left_out))
