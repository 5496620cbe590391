"""Messages to an audience through their life (data contract section 10): the rules, pure, no I/O."""
