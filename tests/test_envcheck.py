"""The environment check notebook 00 runs: it passes here and explains each failure."""

from packaging.requirements import Requirement

from hpo_teach import envcheck


def test_environment_check_passes_in_the_course_environment():
    report = envcheck.check_environment()
    assert report.ok, str(report)
    names = {check.name for check in report.checks}
    assert {"python", "numpy", "autograd", "ipywidgets", "data/mnist_5k.npz", "array backend"} <= names
    assert str(report).endswith("all checks passed")


def test_missing_and_old_packages_say_how_to_fix():
    missing = envcheck.check_package(Requirement("surely-not-installed-pkg>=1"))
    assert not missing.ok and "make lab" in missing.fix
    too_old = envcheck.check_package(Requirement("numpy>=999"))
    assert not too_old.ok and "pip install 'numpy>=999'" in too_old.fix
    report = envcheck.Report([missing, too_old])
    assert "2 check(s) need fixing" in str(report) and "-> " in str(report)


def test_bad_backend_setting_is_reported_not_raised(monkeypatch):
    monkeypatch.setenv("HPO_TEACH_BACKEND", "tpu")
    from hpo_teach import backend

    backend.clear_backend_cache()
    check = envcheck.check_backend()
    backend.clear_backend_cache()
    assert not check.ok and "HPO_TEACH_BACKEND" in check.found
