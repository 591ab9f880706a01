from xxgk.cli import main

main(prog_name="xxgk")
