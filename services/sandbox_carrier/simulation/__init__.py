"""What the network does after the API answers: messages get delivered, calls end."""
