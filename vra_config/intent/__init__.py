"""Intent: what each device must do, vendor-neutral. `routing` decides which prefixes cross
each link, `router` builds a `RouterIntent` per device out of the `records` the packs read,
and `design` checks, on that routing, designs that would commit but not work."""
