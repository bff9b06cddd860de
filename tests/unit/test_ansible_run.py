"""The Ansible wrappers' own checks (the playbooks themselves run in tests/integration)."""

import pytest


def test_network_playbooks_need_cisco_ios(monkeypatch):
    """Without the cisco.ios collection the wrapper says what to install instead of failing inside Ansible."""
    import importlib.util

    from ccinfra import ansible_run
    from ccinfra.errors import PushError

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name.startswith("ansible_collections.cisco") else real(name, *a))
    with pytest.raises(PushError, match="pip install 'ansible>=10'"):
        ansible_run.playbook_argv("push", "hosts.yml", program="ansible-playbook")
    assert ansible_run.playbook_argv("provision", "hosts.yml", program="ansible-playbook")[0] == "ansible-playbook"
