-- One PostgreSQL for the compose stack: each service has its own database (as ./buddycloud up gives them).
CREATE DATABASE channels;
CREATE DATABASE media;
CREATE DATABASE push;
CREATE DATABASE search;
CREATE DATABASE friends;
