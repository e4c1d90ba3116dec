"""Targets: from the planner's answer to text one system takes, over one `base`.

`routers/` holds a pack per router OS (`PACKS`, `render --vendor`) and `ibm/` a target per
way of configuring IBM's end of each link (`TARGETS`, `render --target`); both render with
the one jinja2 `environment` over `templates/<target>/`."""
