from bench.multihost.run import main

main()
