"""The committee register: ศอช. and ก.บ.ต. committees, orders, members, meetings."""
