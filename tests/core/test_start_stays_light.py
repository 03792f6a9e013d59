"""Reading ``--database`` does not load the database layer: the window paints first.

The command line decides whether ``--database`` is a file or a district server before the
window is made; if that check imported SQLAlchemy and the models, every start would wait about
0.15 s for them before its first paint.
"""

from __future__ import annotations

import subprocess
import sys


def test_telling_a_server_url_from_a_file_loads_no_database_code() -> None:
    probe = (
        "import sys\n"
        "from circlekeeper.cli import database_argument\n"
        "assert str(database_argument('records.sqlite3')) == 'records.sqlite3'\n"
        "assert database_argument('postgresql+psycopg://host/db') == 'postgresql+psycopg://host/db'\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'sqlalchemy'"
        " or m.startswith('circlekeeper.core.store.models')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
