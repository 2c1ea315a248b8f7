"""Settings every test shares."""

import pytest
import torch


@pytest.fixture(autouse=True, scope="session")
def _one_torch_thread():
    # The tests' tiny networks run fastest on one thread, and on a busy 2-core machine a
    # second torch thread spins instead of helping.
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture
def cli_error(capsys):
    """Run ``flowgan ARGS`` expecting a user error: exit status 2; returns what it printed to stderr."""
    from flowgan.cli import main

    def run(args):
        with pytest.raises(SystemExit) as exit_info:
            main(args)
        assert exit_info.value.code == 2
        return capsys.readouterr().err

    return run
