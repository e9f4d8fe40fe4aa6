"""The HTTP methods the routers declare, named once."""

READ = ["GET", "HEAD"]
#: Methods a protocol endpoint answers 405 to, with the methods it takes.
REFUSED = ["PUT", "DELETE", "PATCH"]
