"""The package's data files (loopbaanleren.resources): parsed as PyYAML's pure-Python safe loader parses them."""

import pytest
import yaml

from loopbaanleren.resources import SAFE_LOADER, load_yaml, resource_path

RESOURCES = sorted(path.name for path in resource_path("").glob("*.yaml"))


@pytest.mark.parametrize("name", RESOURCES)
def test_a_resource_reads_as_the_pure_python_safe_loader_reads_it(name):
    assert load_yaml(name) == yaml.load(resource_path(name).read_text(encoding="utf-8"), Loader=yaml.SafeLoader)


def test_the_loader_is_libyamls_where_pyyaml_has_it_and_it_is_safe():
    assert len(RESOURCES) >= 7
    assert SAFE_LOADER is (yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader)
    with pytest.raises(yaml.constructor.ConstructorError, match="python/object/apply:os.system"):
        yaml.load("!!python/object/apply:os.system ['true']", Loader=SAFE_LOADER)
