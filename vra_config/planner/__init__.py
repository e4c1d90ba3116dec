"""Planning: from a `Plan` and its lock to every address and number each link needs.

`addresses.plan_addresses` joins the stage: `validation` (what is wrong or unwise),
`allocation` (subnets and tunnel numbers), `links` (each link's addresses, MTU and MSS), over
`records` (what they take and hand on), `prefixes` and `space` (address arithmetic), `ibm`
(IBM's published rules) and `lock` (what earlier runs handed out). `report` prints the result.
Pure functions, except `lock`'s file I/O."""
