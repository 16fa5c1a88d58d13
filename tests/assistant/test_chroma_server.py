"""The same ingestion and search against a real `chroma run` server on 127.0.0.1."""

import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from assistant.answering.service import Assistant
from ingest.pipeline import Ingestor
from tests.conftest import CORPUS, make_components

pytestmark = pytest.mark.integration
CHROMA = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "chroma"


@pytest.fixture
def chroma_server(tmp_path):
    if not CHROMA.exists():
        pytest.skip("the chroma command is not installed in .venv")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([str(CHROMA), "run", "--path", str(tmp_path / "server-data"), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("chroma run did not start")
    yield port
    proc.terminate()
    proc.wait(timeout=20)


def test_ingest_and_answer_through_a_chroma_server(chroma_server, tmp_path, shared_embedder):
    c = make_components(tmp_path / "store", shared_embedder, chroma_host="127.0.0.1", chroma_port=chroma_server)
    report = Ingestor(c).run([CORPUS / "routemaps"], progress=False)
    assert report.ok, report.errors
    assert type(c.vectors.client).__name__ != "PersistentClient" and not (tmp_path / "store" / "chroma").exists()
    assert c.vectors.count() == c.index.count_chunks()
    ans = Assistant(c).ask("Who needs to work on the Common Data Platform?")
    assert "Prevention Hub" in " ".join(x.quote for x in ans.citations)
