"""YAML reading that refuses a key written twice in one mapping.

PyYAML keeps the last of two equal keys without a word, so a mapping or bundle
with a copy-pasted block would silently lose the first; here it is an error
with the line of the second key.
"""

from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode


class _UniqueKeyLoader(yaml.SafeLoader):
    def construct_mapping(self, node: MappingNode, deep: bool = False) -> Any:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, str | int | float | bool) and key in seen:
                raise ConstructorError(
                    problem=f"key {key!r} is written twice in one mapping",
                    problem_mark=key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def load_yaml(text: str) -> Any:
    """Parse YAML safely; a duplicate key raises `yaml.YAMLError` with its line."""
    return yaml.load(text, Loader=_UniqueKeyLoader)  # a SafeLoader subclass
