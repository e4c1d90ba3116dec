"""Intent: what each router must do, vendor-neutral (`router`), the routing policy of each link
(`routing`), and the design checks that read that routing (`design`)."""
