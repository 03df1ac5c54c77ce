"""LibreOffice as a converter: a Word 97-2003 or WPS file to .docx, in private.

:func:`convert_to_docx` runs ``soffice --headless --convert-to docx`` on a
copy of the bytes in a private temporary directory that is deleted
afterwards, with

* its own LibreOffice profile (``-env:UserInstallation=file://…`` inside that
  directory), so parallel conversions (processes or threads) never share or
  lock a profile, and the user's own profile is never touched;
* no network: in a network namespace of its own where the system allows one
  (``unshare --net``, as root or with user namespaces); otherwise the private
  profile sends every fetch to a proxy on a closed local port, so linked
  images and templates are never downloaded;
* macros disabled (the profile's macro security level "very high");
* a time limit, after which the whole process group is killed.

``soffice`` is looked up on ``PATH`` (or named by the environment variable
:data:`ENV_SOFFICE`). This module knows LibreOffice's command line, nothing
about documents.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from .._errors import ExtractError

__all__ = ["DEFAULT_TIMEOUT", "ENV_SOFFICE", "ENV_TIMEOUT", "ConverterMissing", "convert_to_docx", "find_soffice"]

#: Environment variable naming the soffice executable (default: ``soffice`` or ``libreoffice`` on PATH).
ENV_SOFFICE = "GXPARSE_SOFFICE"
#: Environment variable overriding the conversion time limit, in seconds.
ENV_TIMEOUT = "GXPARSE_SOFFICE_TIMEOUT"
#: Seconds one conversion may take (a fresh profile costs LibreOffice 2-3 s of them).
DEFAULT_TIMEOUT = 120.0

# The private profile: every internet fetch through a proxy on the discard port of the
# loopback address (nothing listens there, so it fails at once), links never updated,
# macros never run.
_REGISTRY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetProxyType" oor:op="fuse"><value>2</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetHTTPProxyName" oor:op="fuse"><value>127.0.0.1</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetHTTPProxyPort" oor:op="fuse"><value>9</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetHTTPSProxyName" oor:op="fuse"><value>127.0.0.1</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetHTTPSProxyPort" oor:op="fuse"><value>9</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetFTPProxyName" oor:op="fuse"><value>127.0.0.1</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetFTPProxyPort" oor:op="fuse"><value>9</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetNoProxy" oor:op="fuse"><value></value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Writer/Content/Update"><prop oor:name="Link" oor:op="fuse"><value>2</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""


class ConverterMissing(Exception):
    """No soffice executable was found (the caller turns this into a GxparseError naming the file)."""


def find_soffice() -> str | None:
    """The soffice executable to run: :data:`ENV_SOFFICE`, else ``soffice`` or ``libreoffice`` on PATH."""
    named = os.environ.get(ENV_SOFFICE)
    if named:
        return shutil.which(named) or (named if os.path.isfile(named) and os.access(named, os.X_OK) else None)
    return shutil.which("soffice") or shutil.which("libreoffice")


@functools.lru_cache(maxsize=1)
def _can_unshare_network() -> list[str]:
    """The command prefix that runs a program without network, or [] where the system does not allow it."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return []
    for prefix in ([unshare, "--net"], [unshare, "--net", "--map-root-user"]):
        try:
            done = subprocess.run([*prefix, "true"], capture_output=True, timeout=10, check=False)
        except (OSError, subprocess.SubprocessError):
            continue
        if done.returncode == 0:
            return prefix
    return []


def _timeout() -> float:
    try:
        value = float(os.environ.get(ENV_TIMEOUT, DEFAULT_TIMEOUT))
    except ValueError:
        return DEFAULT_TIMEOUT
    return value if value > 0 else DEFAULT_TIMEOUT


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):  # already gone
        os.killpg(proc.pid, signal.SIGKILL)


def convert_to_docx(data: bytes, suffix: str, *, timeout: float | None = None) -> tuple[bytes, dict[str, str]]:
    """Convert ``data`` (a .doc, .wps … file's bytes) to .docx with LibreOffice.

    Args:
        data: the file's bytes.
        suffix: the file name extension LibreOffice should see (``"doc"``, ``"wps"``).
        timeout: seconds before the conversion is killed (default
            :data:`ENV_TIMEOUT` or :data:`DEFAULT_TIMEOUT`).

    Returns:
        ``(docx bytes, evidence)``; ``evidence`` holds ``converter`` (``"soffice"``),
        ``path`` and ``isolation`` (``"network namespace"`` or ``"proxy to a closed port"``);
        the reader adds the version from the converted file.

    Raises:
        ConverterMissing: no soffice on PATH.
        ExtractError: LibreOffice failed, produced nothing or ran out of time.
    """
    soffice = find_soffice()
    if soffice is None:
        raise ConverterMissing
    limit = timeout if timeout is not None else _timeout()
    prefix = _can_unshare_network()
    with tempfile.TemporaryDirectory(prefix="gxparse-soffice-") as tmp:
        root = Path(tmp)
        profile = root / "profile"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(_REGISTRY, encoding="utf-8")
        out = root / "out"
        out.mkdir()
        src = root / f"input.{suffix}"
        src.write_bytes(data)
        cmd = [*prefix, soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible",
               "--norestore", "--nologo", "--nodefault", "--nolockcheck", "--nofirststartwizard",
               "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(src)]
        env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
        env.update(HOME=str(root), TMPDIR=str(root), SAL_USE_VCLPLUGIN="svp")
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                cwd=root, env=env, start_new_session=True)
        try:
            stdout, stderr = proc.communicate(timeout=limit)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            proc.communicate()
            raise ExtractError(f"LibreOffice did not finish converting the file within {limit:g} s") from None
        finally:
            if proc.poll() is None:  # pragma: no cover - interrupted
                _kill_group(proc)
        _kill_group(proc)  # a helper process left behind must not outlive the temporary directory
        result = out / "input.docx"
        if proc.returncode != 0 or not result.is_file() or result.stat().st_size == 0:
            said = (stderr or stdout).decode("utf-8", "replace").strip().splitlines()
            detail = next((line for line in reversed(said) if line.strip() and "javaldx" not in line), "")
            detail = re.sub(r"\s+", " ", detail)[:200]
            raise ExtractError("LibreOffice could not convert the file"
                               + (f" (exit status {proc.returncode})" if proc.returncode else "")
                               + (f": {detail}" if detail else ""))
        converted = result.read_bytes()
    evidence = {"converter": "soffice", "path": soffice,
                "isolation": "network namespace" if prefix else "proxy to a closed port"}
    return converted, evidence
