"""The newswatch page inside the Airflow UI: what operators look for, from the analyst snapshot.

``overview`` reads the snapshot (never the live database, which the pipeline holds while writing)
and the quality reports; ``app`` serves it as a FastAPI app. No Airflow import here: the plugin in
``plugins/newswatch_ui.py`` mounts the app in Airflow's API server and adds Airflow's login check.
"""
