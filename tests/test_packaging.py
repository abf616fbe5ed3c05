"""The PyInstaller one-folder build: it builds, the window and the command line run frozen on the
bundled samples, the indexer's spawned workers re-enter the frozen executable correctly, and the
desktop integration files are well formed (and validate, where the validators are installed).

The build goes to a temporary folder (about half a minute); the repo tree is not touched.
"""

from __future__ import annotations

import configparser
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from desktop import APP_ID, __version__

pytestmark = pytest.mark.packaging

REPO = Path(__file__).resolve().parent.parent
SPEC = REPO / "packaging" / "weekly-review.spec"
DESKTOP_FILE = REPO / "resources" / f"{APP_ID}.desktop"
METAINFO = REPO / "resources" / f"{APP_ID}.metainfo.xml"
ICON = REPO / "resources" / "icons" / "weekly-review.svg"
SIZE_BUDGET_MB = 250  # 188 MB when this was written: Qt + ICU, numpy + OpenBLAS, Python


def _ensure_pyinstaller() -> None:
    if importlib.util.find_spec("PyInstaller") is not None:
        return
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "pyinstaller>=6.10"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0 or importlib.util.find_spec("PyInstaller") is None:
        pytest.skip(f"PyInstaller is not installed and could not be installed: {done.stderr[-500:]}")


@pytest.fixture(scope="module")
def frozen(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built executable, build/dist/weekly-review/weekly-review in a temporary folder."""
    _ensure_pyinstaller()
    dist = tmp_path_factory.mktemp("dist")
    work = tmp_path_factory.mktemp("work")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            str(SPEC),
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(dist),
            "--workpath",
            str(work),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-5000:]
    binary = dist / "weekly-review" / "weekly-review"
    assert binary.is_file(), done.stderr[-3000:]
    return binary


def run_frozen(binary: Path, args: list[str], home: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    clean.update(
        WEEKLY_REVIEW_CACHE_DIR=str(home / "cache"),
        WEEKLY_REVIEW_CONFIG_DIR=str(home / "config"),
        XDG_CONFIG_HOME=str(home / "xdg-config"),
        **env,
    )
    return subprocess.run(
        [str(binary), *args], cwd=home, env=clean, capture_output=True, text=True, timeout=120, check=False
    )


def test_frozen_window_indexes_the_bundled_samples(frozen: Path, tmp_path: Path) -> None:
    # No folder and no last folder: the window opens the samples bundled at sys._MEIPASS/seeds.
    done = run_frozen(frozen, ["--quit-after-index", "--timings"], tmp_path, QT_QPA_PLATFORM="offscreen")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert lines, done.stdout + done.stderr[-3000:]
    timings = json.loads(lines[-1])
    assert timings["reports"] == 5, timings


def test_frozen_command_line_needs_no_display(frozen: Path, tmp_path: Path) -> None:
    seeds = frozen.parent / "_internal" / "seeds"
    done = run_frozen(frozen, ["index", str(seeds), "--json"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["reports"] == 5
    version = run_frozen(frozen, ["--version"], tmp_path)
    assert version.stdout.strip() == f"weekly-review {__version__}"


def test_frozen_workers_reenter_the_executable(frozen: Path, tmp_path: Path) -> None:
    # Enough files for the indexer to parse in "spawn" worker processes, each one a new start of
    # the frozen executable. A worker that opened the app instead of its task would fail with a
    # usage message on stderr (the index would still finish in this process).
    folder = tmp_path / "reports"
    folder.mkdir()
    samples = sorted((REPO / "seeds").glob("*.md"))
    for i in range(60):
        source = samples[i % len(samples)]
        shutil.copyfile(source, folder / f"{i:02d} {source.name}")
    done = run_frozen(frozen, ["index", str(folder), "--json"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert json.loads(done.stdout)["reports"] == 60


def test_bundle_layout(frozen: Path) -> None:
    root = frozen.parent
    internal = root / "_internal"
    assert len(list((internal / "seeds").glob("*.md"))) == 5
    assert (internal / "resources" / "metrics.toml").is_file()
    assert (internal / "resources" / "icons" / "weekly-review.svg").is_file()
    translations = {p.name for p in (internal / "PySide6" / "Qt" / "translations").iterdir()}
    assert translations >= {"qtbase_zh_CN.qm", "qt_zh_CN.qm", "qtbase_en.qm"}
    for ts in (REPO / "resources" / "i18n").glob("*.ts"):
        assert (internal / "resources" / "i18n" / ts.with_suffix(".qm").name).is_file()
    plugins = internal / "PySide6" / "Qt" / "plugins"
    assert (plugins / "platforms" / "libqxcb.so").is_file()
    assert (plugins / "platforms" / "libqoffscreen.so").is_file()
    assert (plugins / "iconengines" / "libqsvgicon.so").is_file()  # the SVG window icon
    assert not (plugins / "platformthemes" / "libqgtk3.so").exists()
    assert not list(internal.rglob("libQt6WebEngine*")) and not list(internal.rglob("libQt6Network*"))
    share = root / "share"
    assert (share / "applications" / f"{APP_ID}.desktop").read_bytes() == DESKTOP_FILE.read_bytes()
    assert (share / "metainfo" / f"{APP_ID}.metainfo.xml").read_bytes() == METAINFO.read_bytes()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    assert (share / "icons" / "hicolor" / "48x48" / "apps" / f"{APP_ID}.png").is_file()
    size = sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and not p.is_symlink())
    assert size < SIZE_BUDGET_MB * 2**20, f"{size / 2**20:.0f} MB"


def test_desktop_file_fields() -> None:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keep Name[zh_CN] as written
    parser.read(DESKTOP_FILE, encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Exec"] == "weekly-review %f"
    assert entry["Icon"] == APP_ID
    assert "Office" in entry["Categories"].split(";")
    assert entry["Name[zh_CN]"] and entry["Comment[zh_CN]"]


def test_metainfo_fields() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable[@type='desktop-id']") == f"{APP_ID}.desktop"
    assert root.findtext("provides/binary") == "weekly-review"
    assert root.findtext("project_license") == "MIT"
    # Bumping desktop.__version__ needs a release entry here.
    assert __version__ in [r.get("version") for r in root.iter("release")]


def test_icon_renders(qapp: object) -> None:
    from PySide6.QtCore import QSize
    from PySide6.QtSvg import QSvgRenderer

    assert ET.parse(ICON).getroot().get("viewBox") == "0 0 128 128"
    renderer = QSvgRenderer(str(ICON))
    assert renderer.isValid()
    assert renderer.defaultSize() == QSize(128, 128)


@pytest.mark.parametrize(
    ("tool", "args", "path"),
    [
        ("desktop-file-validate", [], DESKTOP_FILE),
        ("appstreamcli", ["validate", "--no-net"], METAINFO),
    ],
)
def test_validators(tool: str, args: list[str], path: Path) -> None:
    exe = shutil.which(tool)
    if exe is None:
        pytest.skip(f"{tool} is not installed (Debian: desktop-file-utils, appstream)")
    done = subprocess.run([exe, *args, str(path)], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    # desktop-file-validate prints nothing when a file is clean (hints and errors alike otherwise).
    if tool == "desktop-file-validate":
        assert done.stdout.strip() == "", done.stdout


@pytest.mark.packaging
def test_the_wheel_carries_the_samples_and_resources(tmp_path: Path) -> None:
    """Installed from a wheel, the app still opens its bundled samples and finds its alias table."""
    import zipfile

    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(REPO)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"could not build a wheel here: {done.stderr.strip()[-300:]}")
    (wheel,) = tmp_path.glob("weekly_review-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    seeds = {p.name for p in (REPO / "seeds").glob("*.md")}
    assert {f"desktop/_data/seeds/{name}" for name in seeds} <= names
    for resource in ("metrics.toml", "i18n/weekly_review_zh_CN.ts", "icons/weekly-review.svg"):
        assert f"desktop/_data/resources/{resource}" in names
